# The two commands a new user needs: `make book` and `make test`.
# Each creates .venv on first use (Python 3.10+, pip) and re-uses it afterwards;
# the venv is rebuilt when pyproject.toml or the constraints file changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONSTRAINTS := requirements/constraints.txt

.PHONY: book test venv vectors lock clean

venv: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[book,test]"
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build book -W --keep-going

test: $(STAMP)
	$(BIN)/python -m pytest

# Retrain the word vectors the chapters load (book/data/*_sgns.*; about 10-25 s per corpus).
vectors: $(STAMP)
	$(BIN)/python tools/train_book_vectors.py

# Re-pin every package after an intentional upgrade (then run `make test`).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude w2vlib > $(CONSTRAINTS)

clean:
	rm -rf book/_build
