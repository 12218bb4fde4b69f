"""Byte-level writing of the dump: record order, duplicates, malformed lines, cp1252, CRLF.

Records are written by polars (``;``, ``"`` quoting only when needed, CRLF), transcoded to
Windows-1252 and streamed to a temporary file that is renamed at the end; malformed lines are
spliced between record segments, so their physical line numbers are known exactly.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import polars as pl

from dumpscope.synth import faults
from dumpscope.synth.columns import ALL_COLUMNS

ENCODING = "cp1252"
DELIMITER = ";"
LINE_TERMINATOR = "\r\n"


def _line_counts(frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Physical lines per row (1 + embedded LFs) and whether the row is written without quotes."""
    cols = [
        c
        for c, t in frame.schema.items()
        if t == pl.String and frame[c].null_count() < frame.height
    ]
    flags = frame.select(
        [pl.col(c).str.contains(r'[;"\n\r]').fill_null(False).alias(c) for c in cols]
    )
    special = flags.select(pl.any_horizontal(pl.all()).alias("q"))["q"].to_numpy()
    counts = np.zeros(frame.height, dtype=np.int64)
    for c in cols:
        if flags[c].any():
            counts += frame[c].str.count_matches("\n", literal=True).fill_null(0).to_numpy()
    return counts + 1, ~special


def write_dump(path: Path, parts: dict, rng: np.random.Generator) -> dict:
    """Write ``parts["frame"]`` to ``path`` with duplicates and malformed lines.

    Returns
    -------
    layout dict: ``order`` (frame row of each loaded record, file order), ``start_line``,
    ``line_count`` (per loaded record), ``malformed`` (list of (line, reason)), ``duplicates``
    (count of exact copies), ``bytes``, ``sha256``, ``physical`` (line count), ``columns``.
    """
    frame: pl.DataFrame = parts["frame"]
    plan = parts["plan"]
    state = parts["state"]
    base = plan.base_rows
    line_count_all, quote_free_all = _line_counts(frame)
    hostile_rows = np.asarray([r for v in state["hostile"].values() for r in v], dtype=np.int64)
    cands = np.setdiff1d(np.arange(10, base - 10, dtype=np.int64), hostile_rows)
    dup_src = rng.choice(cands, plan.duplicates, replace=False)
    pos = rng.integers(0, base + 1, plan.duplicates)
    order = np.insert(np.arange(base, dtype=np.int64), pos, dup_src)
    line_count = line_count_all[order]
    placements = faults.place_malformed(
        rng, len(order), plan.malformed, quote_free_all[order] & (line_count == 1)
    )
    # material rows for malformed lines: quote-free rows generated past the loaded ones
    material = (
        base + np.flatnonzero(quote_free_all[base:] & (line_count_all[base:] == 1))
    ).tolist()
    c1 = ALL_COLUMNS.index("COMMENTAIRE_1")
    name_i = ALL_COLUMNS.index("NOM_USAGE")
    lines: list[tuple[int, bytes, str]] = []  # (gap, bytes, reason)
    bad_bytes = list(faults.UNDECODABLE_BYTES)
    k_bad = 0
    for k, (gap, reason) in enumerate(placements):
        fields = ["" if v is None else v for v in frame.row(material[k % len(material)])]
        if reason == "undecodable":
            bb = bad_bytes[k_bad % len(bad_bytes)]
            k_bad += 1
        else:
            bb = 0
        lines.append((gap, faults.malformed_line(reason, fields, c1, name_i, bb), reason))
    # line numbers
    csum = np.concatenate([[0], np.cumsum(line_count)])
    gaps = np.asarray([g for g, _, _ in lines], dtype=np.int64)
    n_before = np.searchsorted(np.sort(gaps), np.arange(len(order)), side="right")
    start_line = 2 + csum[:-1] + n_before
    malformed = [(int(2 + csum[g] + i), reason) for i, (g, _, reason) in enumerate(lines)]
    # write
    rec = frame[order]
    h = hashlib.sha256()
    nbytes = 0
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(tmp, "wb") as fh:

        def put(b: bytes) -> None:
            nonlocal nbytes
            fh.write(b)
            h.update(b)
            nbytes += len(b)

        put((DELIMITER.join(ALL_COLUMNS) + LINE_TERMINATOR).encode(ENCODING))
        prev = 0
        bounds = [g for g, _, _ in lines] + [len(order)]
        extra = [b for _, b, _ in lines] + [b""]
        for g, b in zip(bounds, extra, strict=True):
            if g > prev:
                text = rec.slice(prev, g - prev).write_csv(
                    include_header=False,
                    separator=DELIMITER,
                    line_terminator=LINE_TERMINATOR,
                    quote_char='"',
                )
                put(text.encode(ENCODING))
            if b:
                put(b)
            prev = g
    tmp.replace(path)
    physical = 1 + int(line_count.sum()) + len(lines)
    return {
        "order": order,
        "start_line": start_line.astype(np.int64),
        "line_count": line_count,
        "malformed": malformed,
        "duplicates": int(plan.duplicates),
        "bytes": nbytes,
        "sha256": h.hexdigest(),
        "physical": physical,
        "columns": len(ALL_COLUMNS),
    }
