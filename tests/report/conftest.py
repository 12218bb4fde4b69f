"""Fixtures of the report tests: sample sections and the findings assembled from them."""

from __future__ import annotations

import pytest

from dumpscope import findings

from .sample_sections import sample_sections


@pytest.fixture
def sections() -> dict:
    """Sections shaped like the notebooks' output (fresh copy)."""
    return sample_sections()


@pytest.fixture
def facts(sections) -> dict:
    """Findings assembled from :func:`sections` with k = 10."""
    return findings.assemble(sections, {"k": 10, "redaction_level": "aggregate"})
