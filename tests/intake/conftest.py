"""Helpers for intake tests: write bytes to a temporary evidence file and take it in."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dumpscope.intake import run_intake


class Taken:
    """Outcome of one intake: record, working copy and quarantine frames."""

    def __init__(self, result):
        self.result = result
        self.record = result.record
        self.working = pl.read_parquet(result.working_path)
        self.quarantine = pl.read_parquet(result.quarantine_path)

    def q(self) -> list[tuple[int, str]]:
        """(line, reason) pairs of the quarantine."""
        return list(
            zip(
                self.quarantine["line"].to_list(), self.quarantine["reason"].to_list(), strict=True
            )
        )

    def rows(self) -> list[tuple]:
        """Loaded rows as tuples of values (without the line columns)."""
        cols = [c for c in self.working.columns if not c.startswith("_")]
        return self.working.select(cols).rows()


@pytest.fixture
def take(tmp_path: Path):
    """``take(data: bytes, name="dump.csv", **params) -> Taken``."""
    counter = {"n": 0}

    def _take(data: bytes, name: str = "dump.csv", **params) -> Taken:
        counter["n"] += 1
        folder = tmp_path / f"case{counter['n']}"
        folder.mkdir()
        evidence = folder / name
        evidence.write_bytes(data)
        return Taken(run_intake(evidence, folder / "work", **params))

    return _take
