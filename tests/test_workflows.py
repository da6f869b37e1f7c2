"""The GitHub Actions workflows a fork gets (.github/workflows) are valid and do what README says.

They cannot run here, so they are linted: each file is validated with check-jsonschema against
the GitHub-workflow schema it ships (SchemaStore's, vendored: no network), and read to check
that `test.yml` runs the tests as .ci/run does and `pages.yml` publishes `make book`'s site with
GitHub's own Pages actions. Doctored workflows must fail the linter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def lint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True, text=True, timeout=120,
    )


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def test_every_workflow_passes_the_linter():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} == {"test.yml", "pages.yml"}
    result = lint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_workflow_runs_ci_run_in_debian():
    workflow = load("test.yml")
    assert "bookworm" in workflow["jobs"]["test"]["container"]  # Debian, so `chromium` is Debian's
    runs = [step.get("run", "") for step in steps(workflow, "test")]
    assert "bash .ci/run" in runs
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install" in ci_run and "chromium" in ci_run and "make test" in ci_run


def test_the_pages_workflow_publishes_make_book_with_the_official_actions():
    workflow = load("pages.yml")
    build = steps(workflow, "build")
    uses = [step.get("uses", "").split("@")[0] for step in build + steps(workflow, "deploy")]
    assert uses[0] == "actions/checkout"
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    assert any(step.get("run") == "make book" for step in build)
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "book/_build/html"
    assert {"pages": "write", "id-token": "write"}.items() <= workflow["permissions"].items()


# --- the linter itself: doctored workflows must be refused --------------------------------


DOCTORS = {  # name -> how pages.yml is spoilt
    "misspelt_key": ("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"),
    "no_steps": ("    steps:\n", "    stepz:\n"),
    "bad_type": ("timeout-minutes: 30", "timeout-minutes: half an hour"),
    "no_trigger": ("\non:\n", "\nwhen:\n"),
}


def test_the_linter_refuses_every_doctored_workflow(tmp_path):
    original = (WORKFLOWS / "pages.yml").read_text(encoding="utf-8")
    paths = []
    for name, (old, new) in DOCTORS.items():
        assert old in original, name
        paths.append(tmp_path / f"{name}.yml")
        paths[-1].write_text(original.replace(old, new, 1), encoding="utf-8")
    result = lint(*paths)  # one run (the linter takes seconds to start); each file must be named
    assert result.returncode != 0
    refused = {name for name in DOCTORS if f"{name}.yml" in result.stdout + result.stderr}
    assert refused == set(DOCTORS), result.stdout
