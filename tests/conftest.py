"""Shared fixtures: the committed synthetic sample and its ground truth."""

from __future__ import annotations

import json

import pytest

from dumpscope.paths import SAMPLE_DUMP


@pytest.fixture(scope="session")
def sample_dump():
    """Path of the committed small synthetic dump (data/synthetic/sample.csv)."""
    if not SAMPLE_DUMP.exists():
        pytest.skip("synthetic sample not generated yet")
    return SAMPLE_DUMP


@pytest.fixture(scope="session")
def sample_truth(sample_dump):
    """Ground truth written by the generator beside the sample."""
    return json.loads(sample_dump.with_name(sample_dump.name + ".truth.json").read_text("utf-8"))
