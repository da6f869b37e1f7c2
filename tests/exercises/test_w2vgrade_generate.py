"""The student-notebook generator: solutions removed, outputs cleared, deterministic, and the
committed student notebooks up to date with their sources."""

from __future__ import annotations

import json

import nbformat
import pytest

from w2vgrade_helpers import EXERCISES, SOURCES, code, fixture_source, notebook, write_notebook
from w2vgrade.generate import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    GenerateError,
    find_sources,
    generate,
    out_of_date,
    student_text,
)


def _solution_lines(source_nb):
    """The non-blank lines between the markers, across all cells of a source notebook."""
    lines = []
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if line.strip() == BEGIN_SOLUTION:
                inside = True
            elif line.strip() == END_SOLUTION:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


def test_fixture_solutions_become_placeholders(tmp_path):
    write_notebook(fixture_source("en"), tmp_path / "source" / "en" / "ex90_demo.ipynb")
    write_notebook(fixture_source("es"), tmp_path / "source" / "es" / "ex90_demo.ipynb")
    written = generate(tmp_path / "source", tmp_path / "out")
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in written) == [
        "en/ex90_demo.ipynb", "es/ex90_demo.ipynb"]
    english = nbformat.read(tmp_path / "out" / "en" / "ex90_demo.ipynb", as_version=4)
    spanish = nbformat.read(tmp_path / "out" / "es" / "ex90_demo.ipynb", as_version=4)
    assert english.cells[1].source.splitlines()[3] == "    # YOUR CODE HERE (~1 line)"
    assert "    # YOUR CODE HERE (~2 lines)" in english.cells[3].source  # blank lines not counted
    assert "    # TU CÓDIGO AQUÍ (~2 líneas)" in spanish.cells[3].source
    assert english.cells[4].source == "Why?\n\n_YOUR ANSWER HERE_\n"
    assert spanish.cells[4].source == "Why?\n\n_TU RESPUESTA AQUÍ_\n"
    assert english.cells[1].source.endswith("    return value")
    assert english.metadata["w2vgrade"] == {"exercise": "ex90", "lang": "en"}
    assert english.cells[5].metadata["tags"] == ["self-check"]
    text = (tmp_path / "out" / "en" / "ex90_demo.ipynb").read_text()
    for line in _solution_lines(fixture_source("en")):
        assert line not in text


def test_outputs_cleared_and_output_is_deterministic(tmp_path):
    source = fixture_source("en")
    source.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1.0\n")]
    source.cells[2].execution_count = 7
    source.cells[2].metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    path = write_notebook(source, tmp_path / "source" / "en" / "ex90_demo.ipynb")
    first = student_text(path)
    assert first == student_text(path)
    student = nbformat.reads(first, as_version=4)
    assert student.cells[2].outputs == [] and student.cells[2].execution_count is None
    assert student.cells[2].metadata == {}
    assert generate(tmp_path / "source", tmp_path / "out") != []
    assert generate(tmp_path / "source", tmp_path / "out") == []  # unchanged: nothing rewritten
    assert out_of_date(tmp_path / "source", tmp_path / "out") == []


def test_out_of_date_reports_changed_missing_and_orphaned(tmp_path):
    path = write_notebook(fixture_source("en"), tmp_path / "source" / "en" / "ex90_demo.ipynb")
    generate(tmp_path / "source", tmp_path / "out")
    changed = fixture_source("en")
    changed.cells[2].source = "print('changed')"
    write_notebook(changed, path)
    write_notebook(fixture_source("en"), tmp_path / "source" / "en" / "ex91_new.ipynb")
    (tmp_path / "out" / "en" / "ex92_orphan.ipynb").write_text("{}")
    problems = out_of_date(tmp_path / "source", tmp_path / "out")
    assert [problem.split(":")[0] for problem in problems] == ["out of date", "missing", "no source"]


@pytest.mark.parametrize("source, message", [
    (f"x = 1\n{BEGIN_SOLUTION}\nx = 2\n", "never closed"),
    (f"x = 1\n{END_SOLUTION}\n", "without a"),
    (f"{BEGIN_SOLUTION}\n{BEGIN_SOLUTION}\n{END_SOLUTION}\n", "second"),
    (f"x = 1  {BEGIN_SOLUTION}\n{END_SOLUTION}\n", "alone on its line"),
])
def test_unbalanced_markers_are_refused(tmp_path, source, message):
    nb = notebook(["import numpy as np", code(source, ["solution"])])
    path = write_notebook(nb, tmp_path / "source" / "en" / "ex90_bad.ipynb")
    with pytest.raises(GenerateError, match=message) as error:
        student_text(path)
    assert "ex90_bad.ipynb, cell 1" in str(error.value)


def test_tag_and_markers_must_agree(tmp_path):
    untagged = notebook([f"{BEGIN_SOLUTION}\nx = 1\n{END_SOLUTION}"])
    path = write_notebook(untagged, tmp_path / "source" / "en" / "ex90_a.ipynb")
    with pytest.raises(GenerateError, match="no 'solution' tag"):
        student_text(path)
    tagged = notebook([code("x = 1", ["solution"])])
    path = write_notebook(tagged, tmp_path / "source" / "en" / "ex90_b.ipynb")
    with pytest.raises(GenerateError, match="has no ### BEGIN SOLUTION"):
        student_text(path)


def test_metadata_must_match_file_name_and_folder(tmp_path):
    path = write_notebook(fixture_source("es"), tmp_path / "source" / "en" / "ex90_demo.ipynb")
    with pytest.raises(GenerateError, match="'lang': 'en'"):
        student_text(path)


# ----- the course's committed notebooks ----------------------------------------------------

COURSE_SOURCES = find_sources(SOURCES, EXERCISES)


def test_course_has_sources_in_both_languages():
    names = {lang: {item.source.name for item in COURSE_SOURCES if item.lang == lang} for lang in ("en", "es")}
    assert names["en"], "no source notebooks in exercises/source/en"
    assert names["en"] == names["es"], "every source needs a twin with the same file name in the other language"


def test_committed_student_notebooks_are_up_to_date(tmp_path):
    generate(SOURCES, tmp_path)
    for item in COURSE_SOURCES:
        regenerated = (tmp_path / item.lang / item.source.name).read_text(encoding="utf-8")
        assert item.target.exists(), f"{item.target} is missing; run: python -m w2vgrade generate"
        assert item.target.read_text(encoding="utf-8") == regenerated, (
            f"{item.target} is out of date with {item.source}; run: python -m w2vgrade generate")
    assert out_of_date(SOURCES, EXERCISES) == []


def _template_lines(source_nb):
    """Stripped lines of a source notebook outside the solution blocks (public anyway)."""
    lines = set()
    for cell in source_nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if line.strip() == BEGIN_SOLUTION:
                inside = True
            elif line.strip() == END_SOLUTION:
                inside = False
            elif not inside:
                lines.add(line.strip())
    return lines


def test_no_solution_line_appears_in_any_student_notebook():
    """Every non-blank solution line of every source, except lines its own template also
    shows (e.g. a closing bracket), is absent from every student notebook of both languages."""
    student_lines = set()
    for item in COURSE_SOURCES:
        student = json.loads(item.target.read_text(encoding="utf-8"))
        student_lines |= {line.strip() for cell in student["cells"] for line in "".join(cell["source"]).splitlines()}
        text = "\n".join("".join(cell["source"]) for cell in student["cells"])
        assert BEGIN_SOLUTION not in text and END_SOLUTION not in text
    for item in COURSE_SOURCES:
        source = nbformat.read(item.source, as_version=4)
        secret = set(_solution_lines(source)) - _template_lines(source)
        assert secret, f"{item.source} has no solution block"
        assert sorted(secret & student_lines) == [], f"solution lines of {item.source} in a student notebook"


@pytest.mark.parametrize("item", COURSE_SOURCES, ids=lambda item: f"{item.lang}/{item.source.name}")
def test_student_notebooks_have_no_outputs(item):
    student = json.loads(item.target.read_text(encoding="utf-8"))
    for cell in student["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
