"""pytest: validate every notebook of the book with nbval in strict mode (stored outputs compared).

`make test` collects `book/` (pyproject testpaths), so the book's notebooks join the single test
run without a global `--nbval` flag: notebooks elsewhere (exercises/, tests/) are never
collected by nbval. The kernel is the interpreter running pytest, started with the same
environment tools/run_notebooks.py gives it when it stores the outputs (PYTHONHASHSEED=0,
matplotlib's inline backend), whatever other tests or the shell put in os.environ. What
legitimately varies between runs is masked by nbval_sanitize.cfg; anything else that varies
must be made deterministic or tagged (see CONVENTIONS.md).
"""

import os
from pathlib import Path

from nbval.plugin import IPyNbFile

BOOK = Path(__file__).parent
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}

collect_ignore = ["_build", "_ext"]


class BookNotebook(IPyNbFile):
    def setup(self):
        # nbval's kernel copies os.environ when it starts: set KERNEL_ENV just for that moment.
        saved = {name: os.environ.get(name) for name in KERNEL_ENV}
        os.environ.update(KERNEL_ENV)
        try:
            super().setup()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name)
                else:
                    os.environ[name] = value


def pytest_collect_file(file_path, parent):
    option = parent.config.option
    if file_path.suffix != ".ipynb" or option.nbval or option.nbval_lax:
        return None  # with an explicit --nbval, nbval's own hook collects the notebook
    option.nbval_current_env = True
    if option.nbval_sanitize_with is None:
        option.nbval_sanitize_with = str(BOOK / "nbval_sanitize.cfg")
    return BookNotebook.from_parent(parent, path=file_path)
