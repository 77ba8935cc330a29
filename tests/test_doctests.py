"""The examples in the package's docstrings (`>>>`) are run, and hold."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import ofsted_kg

# Every module of the package with an example in a docstring.
MODULES = ["ofsted_kg.inlined", "ofsted_kg.iris", "ofsted_kg.text"]


def test_every_module_with_examples_is_run():
    package = Path(ofsted_kg.__file__).parent
    with_examples = sorted(
        ".".join(("ofsted_kg", *path.relative_to(package).with_suffix("").parts))
        for path in package.rglob("*.py")
        if ">>> " in path.read_text(encoding="utf-8")
    )
    assert with_examples == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), report=True)
    assert result.attempted > 0
    assert result.failed == 0
