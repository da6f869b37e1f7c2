"""Fixtures of the w2vgrade tests (helpers live in w2vgrade_helpers.py)."""

import pytest

from w2vgrade_helpers import use_fixture_checks


@pytest.fixture
def fixture_checks(monkeypatch):
    """The name of the test-only checks package (exercise ex90), importable by kernels too."""
    return use_fixture_checks(monkeypatch)
