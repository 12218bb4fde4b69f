"""Fixtures: one generated ~5,000-row dump (parsed once with the independent reference reader)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dumpscope.synth import generate

from .refparse import parse

ROWS = 5000
SEED = 20210223


@pytest.fixture(scope="session")
def dump(tmp_path_factory):
    """(path, truth) of a freshly generated 5,000-row dump."""
    path = tmp_path_factory.mktemp("synth") / "dump.csv"
    truth = generate(path, rows=ROWS, seed=SEED)
    return path, truth


@pytest.fixture(scope="session")
def parsed(dump):
    """(header, records [(line, n_lines, fields)], quarantine [(line, reason)]) of the dump."""
    path, _ = dump
    return parse(path.read_bytes())


@pytest.fixture(scope="session")
def table(parsed):
    """Loaded records as a list of dicts (column -> value) plus ``_line``."""
    header, records, _ = parsed
    return [dict(zip(header, f, strict=True)) | {"_line": n} for n, _, f in records]


@pytest.fixture(scope="session")
def truth_file(dump):
    path, _ = dump
    return json.loads(Path(str(path) + ".truth.json").read_text("utf-8"))
