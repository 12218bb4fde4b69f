"""Atomic writes into the work folder: temporary names first, renames last, cleanup on error."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from dumpscope.errors import IntakeError

WORKING = "working.parquet"
QUARANTINE = "quarantine.parquet"
RECORD = "intake.json"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: Parquet options of the working copy (pyarrow's writer on zero-copy string views: several
#: times faster than polars' own writer on 150 string columns, bench/bench_intake.py).
_WORKING_OPTIONS = {"compression": "lz4", "write_statistics": False}


def _arrow(frame: pl.DataFrame) -> pa.Table:
    return frame.to_arrow(compat_level=pl.CompatLevel.newest())


def write_batches(path: Path, batches: Iterable[pl.DataFrame], empty: pl.DataFrame) -> int:
    """Write frames of one schema to one Parquet file, one row group per frame.

    Parameters
    ----------
    path
        File to create.
    batches
        Frames with the same columns and types (each becomes a row group; at most 1,048,576
        rows each, or pyarrow splits it).
    empty
        A frame with that schema and no row, written when ``batches`` yields nothing.

    Returns
    -------
    int
        Rows written.
    """
    writer: pq.ParquetWriter | None = None
    rows = 0
    pending: Future | None = None
    # pyarrow encodes a row group in a second thread (it releases the GIL) while the next batch
    # is parsed: at most two batches are held.
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            for batch in batches:
                table = _arrow(batch)
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema, **_WORKING_OPTIONS)
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.write_table, table)
                rows += table.num_rows
            if pending is not None:
                pending.result()
                pending = None
            if writer is None:
                pq.write_table(_arrow(empty), path, **_WORKING_OPTIONS)
        finally:
            if pending is not None:
                pending.exception()  # wait: the writer must be idle before it is closed
            if writer is not None:
                writer.close()
    return rows


def write_all(
    work_dir: Path,
    working: pl.DataFrame | Callable[[Path], object],
    quarantine: pl.DataFrame,
    record: dict,
) -> tuple[Path, Path, Path]:
    """Write the working copy, the quarantine and the intake record, all or nothing.

    Each file is written under a hidden temporary name in ``work_dir`` and flushed (quarantine,
    working copy, then record); the old ``intake.json`` (the completion marker) is removed, the
    two Parquet files are renamed into place, and ``intake.json`` is renamed last. On any error
    the temporary files are removed.

    Parameters
    ----------
    work_dir
        Folder to write into (created if needed).
    working
        The working copy: a frame, or a function that writes it to the path it is given (e.g.
        with :func:`write_batches`). It runs before ``record`` is serialized, so it may still
        add to ``record``.
    quarantine
        Frame to write.
    record
        JSON-serializable intake record.

    Returns
    -------
    (working_path, quarantine_path, record_path)

    Raises
    ------
    IntakeError
        The folder cannot be created or written (permissions, disk full...).
    """
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IntakeError(
            f"Cannot create the work folder {work_dir}: {exc.strerror or exc}"
        ) from exc
    tag = uuid.uuid4().hex[:12]
    targets = [work_dir / QUARANTINE, work_dir / WORKING, work_dir / RECORD]
    temps = [work_dir / f".{t.name}.{tag}.tmp" for t in targets]
    write_working = (
        working
        if callable(working)
        else lambda p: pq.write_table(_arrow(working), p, **_WORKING_OPTIONS)
    )
    writers: list[Callable[[Path], object]] = [
        lambda p: pq.write_table(_arrow(quarantine), p, compression="zstd"),
        write_working,
        lambda p: p.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", "utf-8"),
    ]
    try:
        for tmp, write in zip(temps, writers, strict=True):
            write(tmp)
            _fsync(tmp)
        (work_dir / RECORD).unlink(missing_ok=True)
        for tmp, target in zip(temps, targets, strict=True):
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise IntakeError(
                f"Cannot write the work folder {work_dir}: {exc.strerror or exc}"
            ) from exc
        raise
    return targets[1], targets[0], targets[2]
