# The two commands a new user needs: `make book` and `make test`.
# Each creates .venv on first use and re-uses it afterwards; the venv is rebuilt when
# pyproject.toml or the constraints file changes. Before creating it, make checks that
# $(PYTHON) is as recent as pyproject.toml's requires-python (tools/check_python.py).
# `make venv` only creates the environment; `make lab` opens a student workspace in JupyterLab.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.lab-installed
CONSTRAINTS := requirements/constraints.txt
KERNEL := word2vec-book
# extra options for `jupyter lab`, e.g. LAB_ARGS="--no-browser --port 8899"
LAB_ARGS ?=
# the student workspace `make lab` opens (git-ignored; tools/workspace.py)
WORKSPACE := workspace
# Jupyter refuses to run as root unless told; containers and classroom servers often are root
ROOT_ARGS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: book test venv lab vectors lock clean colab-cells

venv: $(STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@$(PYTHON) tools/check_python.py
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

# Students work on copies: the committed notebooks stay as the book built them.
lab: $(LAB_STAMP)
	$(BIN)/python tools/workspace.py --kernel $(KERNEL) $(WORKSPACE)
	$(BIN)/jupyter lab --notebook-dir=$(WORKSPACE) \
	    --MappingKernelManager.default_kernel_name=$(KERNEL) $(ROOT_ARGS) $(LAB_ARGS)

# Retrain the word vectors the chapters load (book/data/*_sgns.*; about 10-25 s per corpus).
vectors: $(STAMP)
	$(BIN)/python tools/train_book_vectors.py

# The Colab set-up cell of every chapter and exercise (tools/colab_setup.py), after a change of
# repository.url in book/_config.yml; then re-run the chapters it changed (it prints them).
colab-cells: $(STAMP)
	$(BIN)/python tools/colab_setup.py --all
	$(BIN)/python -m w2vgrade generate
	@echo "now re-run the chapters listed above: $(BIN)/python tools/run_notebooks.py <notebooks>"

# Re-pin every package after an intentional upgrade (then run `make test`).
lock: $(LAB_STAMP)
	$(BIN)/python -m pip freeze --all --exclude pip --exclude-editable --exclude w2vlib > $(CONSTRAINTS)

clean:
	rm -rf book/_build
