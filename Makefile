# The two commands a new user needs: `make book` and `make test`.
# Each creates .venv on first use (Python 3.10+, pip) and re-uses it afterwards;
# the venv is rebuilt when pyproject.toml or the constraints file changes.
# `make venv` only creates the environment; `make lab` opens the notebooks in JupyterLab.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.lab-installed
CONSTRAINTS := requirements/constraints.txt
KERNEL := word2vec-book
# extra options for `jupyter lab`, e.g. LAB_ARGS="--no-browser --port 8899"
LAB_ARGS ?=

.PHONY: book test venv lab vectors lock clean

venv: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[book,test]"
	touch $(STAMP)

# JupyterLab and the course kernel, registered inside .venv (nothing outside it is touched).
$(LAB_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[book,test,lab]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 ($(KERNEL))"
	touch $(LAB_STAMP)

# One Sphinx site per language plus the bilingual landing page (tools/build_book.py), -W.
book: $(STAMP)
	$(BIN)/python tools/build_book.py book

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --notebook-dir=. --MappingKernelManager.default_kernel_name=$(KERNEL) $(LAB_ARGS)

# Retrain the word vectors the chapters load (book/data/*_sgns.*; about 10-25 s per corpus).
vectors: $(STAMP)
	$(BIN)/python tools/train_book_vectors.py

# Re-pin every package after an intentional upgrade (then run `make test`).
lock: $(LAB_STAMP)
	$(BIN)/python -m pip freeze --exclude-editable --exclude w2vlib > $(CONSTRAINTS)

clean:
	rm -rf book/_build
