"""pytest: validate every notebook of the book with nbval in strict mode (stored outputs compared).

`make test` collects `book/` (pyproject testpaths), so the book's notebooks join the single test
run without a global `--nbval` flag: notebooks elsewhere (exercises/, tests/) are never
collected by nbval. The kernel is the interpreter running pytest, and it inherits
PYTHONHASHSEED=0 from this process — the same seed tools/run_notebooks.py uses when it
stores the outputs. What legitimately varies between runs is masked by nbval_sanitize.cfg;
anything else that varies must be made deterministic or tagged (see CONVENTIONS.md).
"""

import os
from pathlib import Path

from nbval.plugin import IPyNbFile

BOOK = Path(__file__).parent
os.environ["PYTHONHASHSEED"] = "0"  # read by nbval's kernel at start-up (it copies os.environ)

collect_ignore = ["_build", "_ext"]


def pytest_collect_file(file_path, parent):
    option = parent.config.option
    if file_path.suffix != ".ipynb" or option.nbval or option.nbval_lax:
        return None  # with an explicit --nbval, nbval's own hook collects the notebook
    option.nbval_current_env = True
    if option.nbval_sanitize_with is None:
        option.nbval_sanitize_with = str(BOOK / "nbval_sanitize.cfg")
    return IPyNbFile.from_parent(parent, path=file_path)
