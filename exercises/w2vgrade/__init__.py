"""w2vgrade: generates, checks and grades the course's exercise notebooks.

Commands (``python -m w2vgrade --help``): ``generate`` (student notebooks from the sources),
``check NOTEBOOK`` (a student checks their own notebook), ``grade SUBMISSIONS_DIR --out
RESULTS_DIR`` (an instructor grades a folder of submissions). Inside a notebook:
``from w2vgrade import check_notebook; check_notebook(globals())``.
"""

from w2vgrade.check import check_notebook

__all__ = ["check_notebook"]
