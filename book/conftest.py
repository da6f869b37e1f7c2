"""pytest: validate every notebook of the book with nbval in strict mode (stored outputs compared).

`make test` collects `book/` (pyproject testpaths), so the book's notebooks join the single test
run without a global `--nbval` flag: notebooks elsewhere (exercises/, tests/) are never
collected by nbval. The kernel is the interpreter running pytest, started with the same
environment tools/run_notebooks.py gives it when it stores the outputs (PYTHONHASHSEED=0,
matplotlib's inline backend), whatever other tests or the shell put in os.environ. What
legitimately varies between runs is masked by nbval_sanitize.cfg; anything else that varies
must be made deterministic or tagged (see CONVENTIONS.md).
"""

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest
from nbval.plugin import IPyNbFile

BOOK = Path(__file__).parent
KERNEL_ENV = {"PYTHONHASHSEED": "0", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}

collect_ignore = ["_build", "_ext"]


#: What a notebook may declare in its metadata ``{"w2vbook": {"requires": [...]}}``, and how
#: each requirement is detected. Chapter 10 runs Apache Spark, which needs both.
REQUIREMENTS = {
    "pyspark": (lambda: importlib.util.find_spec("pyspark") is not None,
                "the Python package pyspark: pip install -e '.[scale]'"),
    "java": (lambda: shutil.which("java") is not None,
             "Java 17 or newer on the PATH: apt-get install default-jre-headless"),
}


def missing_requirements(path: Path) -> list[str]:
    """The requirements a notebook declares that this machine lacks, as install hints."""
    declared = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    wanted = declared.get("w2vbook", {}).get("requires", [])
    unknown = [name for name in wanted if name not in REQUIREMENTS]
    if unknown:
        raise ValueError(f"{path.name}: unknown requirement(s) {unknown}; known: {sorted(REQUIREMENTS)}")
    return [REQUIREMENTS[name][1] for name in wanted if not REQUIREMENTS[name][0]()]


class BookNotebook(IPyNbFile):
    def setup(self):
        missing = missing_requirements(Path(self.path))
        if missing:
            pytest.skip(f"{Path(self.path).name} needs " + " and ".join(missing))
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
