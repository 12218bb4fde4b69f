"""Escaped HTML tables with small-count suppression, for reports.

Every cell is HTML-escaped (strings from a dump may hold markup); counts below ``k`` are shown as
``< k`` through the redaction gate (:mod:`dumpscope.report.redact`; zero stays zero); long strings
are cut. No raw personal values should be passed here: tables are for aggregates.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import polars as pl

#: Cell text longer than this is cut with an ellipsis.
MAX_CELL_CHARS = 120


def suppress_count(value: Any, k: int) -> str:
    """Text of a count for a report, through the redaction gate (:mod:`dumpscope.report.redact`).

    Parameters
    ----------
    value : int or None
        The count (``None`` gives an empty string).
    k : int
        Threshold: ``0 < value < k`` is shown as ``"< k"``; zero stays ``"0"``.

    Returns
    -------
    str
        ``"< 10"`` or the number as text.
    """
    from dumpscope.report.redact import suppress

    shown = suppress(value, k)
    return "" if shown is None else str(shown)


def _cell_text(value: Any, max_chars: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    else:
        text = str(value)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return text


def _count_columns(frame: pl.DataFrame, count_columns: Sequence[str] | None) -> list[str]:
    if count_columns is None:
        return [c for c, t in frame.schema.items() if t.is_integer()]
    missing = [c for c in count_columns if c not in frame.columns]
    if missing:
        raise KeyError(f"count column(s) not in the table: {', '.join(missing)}")
    return list(count_columns)


def render_table(
    frame: pl.DataFrame,
    *,
    k: int = 10,
    count_columns: Sequence[str] | None = None,
    caption: str | None = None,
    max_rows: int = 100,
    max_chars: int = MAX_CELL_CHARS,
) -> str:
    """Render a small aggregated frame as an escaped HTML table.

    Parameters
    ----------
    frame : pl.DataFrame
        Any columns; values are shown as text.
    k : int
        Small-count threshold: values of count columns below ``k`` become ``< k``.
    count_columns : sequence of str, optional
        Columns holding counts. ``None`` (default): every integer column is a count (the safe
        choice); ``[]``: none.
    caption : str, optional
        Table caption (escaped).
    max_rows : int
        Rows shown; a final note says how many were left out.
    max_chars : int
        Longer cell texts are cut.

    Returns
    -------
    str
        ``<table class="dumpscope-table">…</table>`` HTML; nothing unescaped from ``frame``.

    Raises
    ------
    KeyError
        A named count column is absent.
    """
    counts = set(_count_columns(frame, count_columns))
    esc = html.escape
    parts = ['<table class="dumpscope-table">']
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    right = counts | {c for c, t in frame.schema.items() if t.is_numeric()}
    parts.append("<thead><tr>")
    for name in frame.columns:
        align = ' style="text-align:right"' if name in right else ""
        parts.append(f"<th{align}>{esc(_cell_text(name, max_chars))}</th>")
    parts.append("</tr></thead><tbody>")
    shown = frame.head(max_rows)
    columns = shown.columns
    for row in shown.iter_rows():
        parts.append("<tr>")
        for name, value in zip(columns, row, strict=True):
            if name in counts:
                text = suppress_count(value, k)
                parts.append(f'<td style="text-align:right">{esc(text)}</td>')
            elif name in right:
                text = esc(_cell_text(value, max_chars))
                parts.append(f'<td style="text-align:right">{text}</td>')
            else:
                parts.append(f"<td>{esc(_cell_text(value, max_chars))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if frame.height > max_rows:
        parts.append(
            f'<p class="dumpscope-note">{frame.height - max_rows} more row(s) not shown.</p>'
        )
    return "".join(parts)


def show_table(frame: pl.DataFrame, **kwargs: Any) -> None:
    """Display :func:`render_table` output in the running notebook (keyword args passed on)."""
    from IPython.display import HTML, display

    display(HTML(render_table(frame, **kwargs)))
