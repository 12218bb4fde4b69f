"""The summary report (notebook 90): HTML fragments and charts built from findings only.

Every function reads the findings object (:mod:`dumpscope.findings`) and returns either an HTML
string — every dynamic string escaped with :func:`dumpscope.report.redact.escape`, every count
through :func:`dumpscope.report.redact.suppress` and formatted by babel — or an altair chart of
pre-aggregated figures whose categories below ``k`` are left out (a chart cannot say "< k").
No function reads files or the dump; the words come from :mod:`dumpscope.report.wording`.

The notebook displays :func:`document` item by item: ``("html", str)`` through
``IPython.display.HTML`` and ``("chart", chart)`` through ``ctx.show_chart``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from dumpscope.report.redact import DEFAULT_LEVEL
from dumpscope.report.summary._html import count_text, table
from dumpscope.report.summary.annexes import SOFTWARE, VOLATILE_PARAMS, annexes, software_versions
from dumpscope.report.summary.charts import SECTION_CHARTS, chart, chart_data, chart_note
from dumpscope.report.summary.frames import tables
from dumpscope.report.summary.front import cover, executive_summary, style, toc
from dumpscope.report.summary.sections import SECTIONS, section

__all__ = [
    "SECTIONS",
    "SECTION_CHARTS",
    "SOFTWARE",
    "VOLATILE_PARAMS",
    "annexes",
    "chart",
    "chart_data",
    "chart_note",
    "count_text",
    "cover",
    "document",
    "executive_summary",
    "section",
    "software_versions",
    "style",
    "table",
    "tables",
    "toc",
]


def document(
    f: Mapping[str, Any],
    params: Mapping[str, Any],
    *,
    lang: str = "fr",
    k: int = 10,
    produced_at: dt.datetime | str | None = None,
    redaction_level: str = DEFAULT_LEVEL,
    versions: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, Any]]:
    """The whole report in display order: ``("html", fragment)`` and ``("chart", chart)`` items.

    Parameters
    ----------
    f
        The findings object.
    params
        The notebook's parameters (cover block and annex B).
    lang, k, redaction_level
        Report language, suppression threshold, redaction level.
    produced_at
        When the report was produced (shown in UTC and Europe/Paris).
    versions
        Software versions for annex C (:func:`software_versions`).
    """
    yield (
        "html",
        style()
        + cover(
            f, params, lang=lang, k=k, produced_at=produced_at, redaction_level=redaction_level
        )
        + toc(lang),
    )
    yield "html", executive_summary(f, lang=lang, k=k)
    for name, _ in SECTIONS:
        yield "html", section(name, f, lang=lang, k=k)
        if name in SECTION_CHARTS:
            drawn = chart(SECTION_CHARTS[name], f, lang=lang, k=k)
            if drawn is not None:
                yield "chart", drawn
                yield "html", chart_note(SECTION_CHARTS[name], f, lang=lang, k=k)
    yield "html", annexes(f, params, lang=lang, versions=versions)
