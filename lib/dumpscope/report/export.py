"""CSV export of aggregated tables, safe to open in a spreadsheet.

Cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) are prefixed with ``'`` (OWASP "CSV injection"); counts below ``k`` become
``"< k"``. The file is written atomically (temporary name, then rename).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from dumpscope.report.redact import check_k, suppress_frame

#: First characters that make a spreadsheet evaluate a cell (OWASP CSV injection).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value: str | None) -> str | None:
    """Prefix ``value`` with ``'`` if it starts with a formula trigger; ``None`` stays ``None``."""
    if value is None:
        return None
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def neutralize_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Neutralize every Utf8 cell of ``frame`` (vectorized); other columns are unchanged.

    Returns the same columns; string cells starting with a formula trigger get a leading ``'``.
    """
    pattern = "^[=+\\-@\t\r]"
    exprs = [
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.Utf8
    ]
    return frame.with_columns(exprs) if exprs else frame


def safe_frame(
    frame: pl.DataFrame, count_columns: Iterable[str] = (), k: int = 10
) -> pl.DataFrame:
    """The frame as it may leave the project: small counts suppressed, then formulas neutralized.

    Parameters
    ----------
    frame
        An aggregated frame (no record-level personal data).
    count_columns
        Numeric columns holding counts of persons or rows (suppressed below ``k``).
    k
        Suppression threshold.
    """
    check_k(k)
    return neutralize_frame(suppress_frame(frame, list(count_columns), k))


def write_csv(
    frame: pl.DataFrame, path: str | Path, *, count_columns: Iterable[str] = (), k: int = 10
) -> Path:
    """Write ``frame`` as UTF-8 CSV (``,`` delimiter, header) after :func:`safe_frame`.

    Parameters
    ----------
    frame
        An aggregated frame; ``count_columns`` are numeric counts.
    path
        Destination file; its folder must exist. Written atomically.
    count_columns
        Columns suppressed below ``k`` (``"< k"``).
    k
        Suppression threshold.

    Returns
    -------
    Path
        The path written.
    """
    target = Path(path)
    safe = safe_frame(frame, count_columns, k)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        safe.write_csv(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_tables(
    frames: dict[str, pl.DataFrame],
    folder: str | Path,
    *,
    count_columns: Iterable[str] = ("persons", "rows"),
    k: int = 10,
) -> list[Path]:
    """Write each frame as ``folder/<name>.csv`` with :func:`write_csv` (folder created).

    ``count_columns`` present in a frame are suppressed below ``k``. Returns the paths written,
    in name order.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    wanted = tuple(count_columns)
    return [
        write_csv(
            frame,
            target / f"{name}.csv",
            count_columns=[c for c in wanted if c in frame.columns],
            k=k,
        )
        for name, frame in sorted(frames.items())
    ]
