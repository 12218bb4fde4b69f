"""Whole dumps through intake, roles and normalization: the assessment tells a genuine-looking
export from a fabricated one and from a re-compilation of two extracts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

import dumpscope.pipeline
from dumpscope.analyses import authenticity
from dumpscope.synth import generate


def _assess(dump, run_dir) -> dict:
    ctx = dumpscope.pipeline.open_run(
        {"dump_path": str(dump), "run_dir": str(run_dir), "lang": "fr", "k": 10,
         "mapping_path": ""},
        notebook="40-assess-authenticity",
    )  # fmt: skip
    record = ctx.intake().record
    sections = [
        authenticity.assess(
            ctx.view(),
            working=working,
            columns=record["columns"],
            roles=ctx.roles(),
            quarantined_lines=record["lines"]["quarantined_lines"],
        )
        for working in (ctx.scan_working(), ctx.working())
    ]
    assert sections[0] == sections[1]  # a lazy and an eager working copy: the same section
    return sections[0]


def _working(dump, run_dir) -> tuple[pl.DataFrame, dict]:
    ctx = dumpscope.pipeline.open_run(
        {"dump_path": str(dump), "run_dir": str(run_dir), "lang": "fr", "k": 10,
         "mapping_path": ""},
        notebook="40-assess-authenticity",
    )  # fmt: skip
    return ctx.working(), ctx.intake().record


def _write(frame: pl.DataFrame, record: dict, path) -> None:
    """Write a working copy back as a `;`-separated export with its original headers."""
    names = {c["name"]: c["original"] for c in record["columns"]}
    out = frame.select([pl.col(n).alias(names[n]) for n in names])
    out.write_csv(path, separator=";", line_terminator="\r\n")


def _random_nirs(rng, n: int) -> list[str]:
    body = (
        rng.integers(1, 3, n) * 10**12
        + rng.integers(0, 100, n) * 10**10
        + rng.integers(1, 13, n) * 10**8
        + rng.integers(1, 96, n) * 10**6
        + rng.integers(1, 1000, n) * 10**3
        + rng.integers(1, 1000, n)
    )
    return [f"{b:013d}{97 - b % 97:02d}" for b in body.tolist()]


@pytest.fixture(scope="module")
def genuine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("genuine")
    dump = folder / "genuine.csv"
    generate(dump, rows=3000, seed=11, labels=False)
    return dump


def test_genuine_looking_dump(genuine, tmp_path):
    section = _assess(genuine, tmp_path / "run")
    assert section["conclusion"]["verdict"] == "consistent_with_genuine", section["conclusion"]


def test_fabricated_dump(genuine, tmp_path):
    working, record = _working(genuine, tmp_path / "src")
    rng = np.random.default_rng(5)
    n = working.height
    postcodes = pl.read_csv(
        dumpscope.paths.REFERENCE_DIR / "codes_postaux.csv", infer_schema=False
    )["code_postal"].to_list()
    first = ["Jean", "Marie", "Luc", "Anne", "Paul", "Julie", "Marc", "Claire"] * 25
    last = [f"Nom{i}" for i in range(300)]

    def dates(lo: dt.date, span: int) -> list[str]:
        return [
            (lo + dt.timedelta(days=int(d))).strftime("%d/%m/%Y") for d in rng.integers(0, span, n)
        ]

    fake = working.with_columns(
        num_ss=pl.Series(_random_nirs(rng, n)),
        prenom=pl.Series(list(rng.choice(first, n))),
        nom_usage=pl.Series(list(rng.choice(last, n))),
        code_postal=pl.Series(list(rng.choice(postcodes, n))),
        date_naissance=pl.Series(dates(dt.date(1900, 1, 1), 43000)),
        date_prelevement=pl.Series(dates(dt.date(2015, 1, 1), 2100)),
        email=pl.when(pl.col("email") != "")
        .then(pl.format("user{}@example.org", pl.int_range(pl.len())))
        .otherwise(pl.lit("")),
    )
    dump = tmp_path / "fabricated.csv"
    _write(fake, record, dump)
    section = _assess(dump, tmp_path / "run")
    conclusion = section["conclusion"]
    assert conclusion["verdict"] == "likely_fabricated", conclusion
    assert {"nir_sex_agreement", "nir_birth_agreement", "postcode_city_agreement"} <= set(
        conclusion["against"]
    )


def test_recompiled_dump(genuine, tmp_path):
    """Two extracts stitched: the genuine file, then another system's export (another header
    line, ISO dates) re-using a third of the same patients."""
    other = tmp_path / "other.csv"
    generate(other, rows=1500, seed=12, labels=False)
    working, record = _working(genuine, tmp_path / "src")
    reused = (
        working.sample(fraction=0.33, seed=3)
        .with_columns(
            pl.col(c).str.to_date("%d/%m/%Y", strict=False).dt.strftime("%Y-%m-%d").fill_null("")
            for c in ("date_prelevement", "date_naissance")
        )
        .with_columns(code_labo=pl.lit("ANCIEN-01"))
    )
    part = tmp_path / "reused.csv"
    _write(reused, record, part)
    dump = tmp_path / "recompiled.csv"
    dump.write_bytes(
        genuine.read_bytes() + other.read_bytes() + part.read_bytes().split(b"\r\n", 1)[1]
    )
    section = _assess(dump, tmp_path / "run")
    conclusion = section["conclusion"]
    assert conclusion["verdict"] == "likely_recompiled", conclusion
    assert {"repeated_headers", "duplicate_identities"} <= set(conclusion["against"])
