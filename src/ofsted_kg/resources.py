"""Files shipped with the package: the ontology, shapes, schemes, queries and reference data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _package_dir(package: str) -> Path:
    return Path(str(resources.files(package)))


def ontology_file(name: str) -> Path:
    """A file of ontology/ (ofsted-kg.ttl, schemes.ttl, shapes.ttl)."""
    return _package_dir("ofsted_kg.ontology") / name


def queries_dir() -> Path:
    return _package_dir("ofsted_kg.query_files")


def data_file(name: str) -> Path:
    return _package_dir("ofsted_kg.data") / name
