"""Intake in batches: the working copy does not depend on the batch size (issue 10)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from dumpscope.errors import IntakeError
from dumpscope.intake import run_intake
from dumpscope.intake.parse import BATCH_ROWS

H = b"a;b;c\r\n"


def _take(tmp_path: Path, data: bytes, tag: str, **params):
    evidence = tmp_path / "dump.csv"
    if not evidence.exists():
        evidence.write_bytes(data)
    result = run_intake(evidence, tmp_path / tag, **params)
    record = json.loads((tmp_path / tag / "intake.json").read_text("utf-8"))
    record.pop("timing")
    record["custody"].pop("started_utc")
    return (
        pl.read_parquet(result.working_path),
        pl.read_parquet(result.quarantine_path),
        record,
        pq.ParquetFile(result.working_path),
    )


def _same_for_every_batch_size(tmp_path: Path, data: bytes, **params) -> pl.DataFrame:
    """Run intake once per batch size 1..records+1; every output equals the one-batch run."""
    working, quarantine, record, _ = _take(tmp_path, data, "whole", **params)
    assert record["lines"]["reconciled"]
    for batch in range(1, working.height + 2):
        w, q, r, meta = _take(tmp_path, data, f"b{batch}", batch_rows=batch, **params)
        assert w.equals(working), batch
        assert q.equals(quarantine), batch
        assert r == record, batch
        groups = [meta.metadata.row_group(g).num_rows for g in range(meta.num_row_groups)]
        if working.height:
            assert groups == [
                min(batch, working.height - k) for k in range(0, working.height, batch)
            ]
    return working


def test_default_batch_is_one_row_group_of_at_most_65536_rows():
    assert BATCH_ROWS == 65_536


def test_several_row_groups_equal_one(tmp_path):
    body = b"".join(f"{i};x{i};\xe9t\xe9 {i}\r\n".encode("latin-1") for i in range(10))
    working, *_, meta = _take(tmp_path, H + body, "three", batch_rows=3)
    assert meta.num_row_groups == math.ceil(10 / 3)
    assert working["_source_line"].to_list() == list(range(2, 12))
    assert working["c"][0] == "été 0"
    _same_for_every_batch_size(tmp_path, H + body)


def test_multiline_record_at_every_batch_boundary(tmp_path):
    # quoted records spanning 2..4 lines among single-line ones, a malformed line between
    data = (
        H
        + b'1;"deux\r\nlignes";x\r\n'
        + b"2;y;z\r\n"
        + b'3;"trois\r\nlignes\r\nici";x\r\n'
        + b"4;trop;de;champs\r\n"
        + b'5;"a;b";"c\r\nd\r\ne\r\nf"\r\n'
        + b'6;"q""uote";w\r\n'
        + b"7;fin;ok"
    )
    working = _same_for_every_batch_size(tmp_path, data)
    assert working["_source_line"].to_list() == [2, 4, 5, 9, 13, 14]
    assert working["_line_count"].to_list() == [2, 1, 3, 4, 1, 1]
    assert working["c"].to_list() == ["x", "z", "x", "c\r\nd\r\ne\r\nf", "w", "ok"]


def test_no_quoting_with_bare_cr_records_across_batches(tmp_path):
    # without quoting, records holding a bare CR go through the Python tokenizer and are
    # merged back into file order inside each batch
    data = H + b'1;"a;3\r\n4;x\ry;6\r\n7;8;9\r\n1\r0;1\r1;12\r\n13;14\r\n15;16;17\r\n18\r;19;20\n'
    working = _same_for_every_batch_size(tmp_path, data, quotechar="")
    assert working["_source_line"].to_list() == [2, 3, 4, 5, 7, 8]
    assert working["a"].to_list() == ["1", "4", "7", "1\r0", "15", "18\r"]


def test_header_only_file_with_tiny_batches(tmp_path):
    working, quarantine, record, _ = _take(tmp_path, H + b"\r\n", "w", batch_rows=1)
    assert working.height == 0 and quarantine.height == 1
    assert working.schema == pl.Schema(
        {"a": pl.String, "b": pl.String, "c": pl.String}
        | {"_source_line": pl.UInt64, "_line_count": pl.UInt32}
    )
    assert record["lines"]["loaded_records"] == 0


def test_batch_size_below_one_is_refused(tmp_path):
    evidence = tmp_path / "dump.csv"
    evidence.write_bytes(H + b"1;2;3\r\n")
    with pytest.raises(IntakeError, match="batch_rows"):
        run_intake(evidence, tmp_path / "w", batch_rows=0)
    assert not (tmp_path / "w").exists()


def test_sample_in_small_batches_equals_one_batch(sample_dump, tmp_path):
    whole = run_intake(sample_dump, tmp_path / "whole")
    small = run_intake(sample_dump, tmp_path / "small", batch_rows=700)
    a, b = pl.read_parquet(whole.working_path), pl.read_parquet(small.working_path)
    assert a.height > 700 * 5
    assert b.equals(a)
    assert pq.ParquetFile(small.working_path).num_row_groups == math.ceil(a.height / 700)
    assert pl.read_parquet(small.quarantine_path).equals(pl.read_parquet(whole.quarantine_path))
    for rec in (whole.record, small.record):
        rec.pop("timing")
        rec["custody"].pop("started_utc")
    assert small.record == whole.record


def test_failure_between_batches_leaves_nothing_half_written(tmp_path, monkeypatch):
    import dumpscope.intake.run as run_mod
    from dumpscope.errors import IntegrityError

    real = run_mod.read_batches

    def breaks_after_one(*args, **kwargs):
        batches = real(*args, **kwargs)
        yield next(batches)
        raise IntegrityError("reader disagreed")

    monkeypatch.setattr(run_mod, "read_batches", breaks_after_one)
    evidence = tmp_path / "dump.csv"
    evidence.write_bytes(H + b"".join(b"%d;x;y\r\n" % i for i in range(6)))
    with pytest.raises(IntegrityError, match="disagreed"):
        run_intake(evidence, tmp_path / "w", batch_rows=2)
    assert list((tmp_path / "w").iterdir()) == []


def test_write_batches_in_the_background_keeps_order_and_reports_errors(tmp_path):
    import polars as pl

    from dumpscope.intake.atomic import write_batches

    frames = [pl.DataFrame({"a": [str(i), str(i + 1)]}) for i in range(0, 10, 2)]
    path = tmp_path / "w.parquet"
    assert write_batches(path, iter(frames), frames[0].head(0)) == 10
    assert pl.read_parquet(path)["a"].to_list() == [str(i) for i in range(10)]
    bad = [*frames[:2], pl.DataFrame({"a": [1, 2]}), *frames[2:]]  # a batch of another type
    with pytest.raises(Exception, match="(?i)schema"):
        write_batches(tmp_path / "bad.parquet", iter(bad), frames[0].head(0))
