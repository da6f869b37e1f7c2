"""w2vgrade: generates, checks and grades the course's exercise notebooks."""
