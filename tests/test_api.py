"""The package's surface: every module declares its public names, and every example in a
docstring runs and prints what it shows (doctest)."""
import doctest
import importlib
import pkgutil

import pytest

import w2vlib

MODULES = sorted(f"w2vlib.{m.name}" for m in pkgutil.iter_modules(w2vlib.__path__))


@pytest.mark.parametrize("name", ["w2vlib"] + MODULES)
def test_every_module_lists_its_public_names(name):
    module = importlib.import_module(name)
    assert isinstance(module.__all__, list), f"{name} has no __all__"
    assert len(set(module.__all__)) == len(module.__all__)
    missing = [public for public in module.__all__ if not hasattr(module, public)]
    assert not missing, f"{name}.__all__ names what it does not define: {missing}"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed"
