"""A chapter that needs more than the base install (chapter 10: pyspark and Java) says so in its
metadata, and `make test` skips it with the install command when this machine lacks it."""
import importlib.util
import json
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
# loaded under its own name: other folders have a conftest module too
_spec = importlib.util.spec_from_file_location("book_conftest", BOOK / "conftest.py")
book_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(book_conftest)
REQUIREMENTS, missing_requirements = book_conftest.REQUIREMENTS, book_conftest.missing_requirements


def notebook(tmp_path, requires):
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {"w2vbook": {"requires": requires}},
                                "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_missing_java_is_named_with_its_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on this PATH
    assert missing_requirements(notebook(tmp_path, ["java"])) == [
        "Java 17 or newer on the PATH: apt-get install default-jre-headless"]


def test_nothing_declared_nothing_missing(tmp_path):
    assert missing_requirements(notebook(tmp_path, [])) == []


def test_unknown_requirement_is_an_error(tmp_path):
    with pytest.raises(ValueError, match=r"unknown requirement\(s\) \['cuda'\]"):
        missing_requirements(notebook(tmp_path, ["cuda"]))


def test_the_spark_chapter_declares_what_it_needs():
    for language in ("es", "en"):
        metadata = json.loads((BOOK / language / "10_beyond_one_machine.ipynb")
                              .read_text(encoding="utf-8"))["metadata"]
        assert set(metadata["w2vbook"]["requires"]) == set(REQUIREMENTS) == {"pyspark", "java"}
