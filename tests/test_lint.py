"""The library, the tools, the benchmarks and the grader pass the project's lint rule: ruff,
configured in pyproject.toml ([tool.ruff]: pyflakes, pycodestyle, import order, 88
characters; the grader, exercises/w2vgrade, not yet the line length: see per-file-ignores).

To lint another folder, add it to LINTED.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINTED = ["w2vlib", "tools", "benchmarks", "exercises/w2vgrade"]


def ruff_command():
    beside_python = Path(sys.executable).with_name("ruff")
    found = str(beside_python) if beside_python.exists() else shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed; run `make venv` (it is in the test extra)")
    return found


def test_ruff_finds_nothing():
    result = subprocess.run(
        [ruff_command(), "check", "--no-cache", "--output-format", "concise", *LINTED],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, "ruff check found problems:\n" + result.stdout + result.stderr
