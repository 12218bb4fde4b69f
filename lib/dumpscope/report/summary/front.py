"""Cover and control block, table of contents, executive summary, inline CSS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from importlib import resources
from typing import Any

from dumpscope.findings import value
from dumpscope.report import locale, wording
from dumpscope.report.redact import DEFAULT_LEVEL, check_k, check_level, escape
from dumpscope.report.summary._html import _nc, _p
from dumpscope.report.summary.sections import SECTIONS

_COVER_PARAMS = ("case_ref", "report_id", "analyst", "requesting_magistrate", "classification")


def style() -> str:
    """The report's own CSS (``report.css``: numbering, tables, print) as a ``<style>`` block."""
    css = resources.files("dumpscope.report").joinpath("report.css").read_text(encoding="utf-8")
    return f'<style type="text/css">\n{css}</style>'


def cover(
    f: Mapping[str, Any],
    params: Mapping[str, Any],
    *,
    lang: str = "fr",
    k: int = 10,
    produced_at: dt.datetime | str | None = None,
    redaction_level: str = DEFAULT_LEVEL,
) -> str:
    """Title, control block (case, report id, people, times, evidence hash, threshold).

    Reads ``params`` keys ``case_ref, report_id, analyst, requesting_magistrate,
    classification`` (missing -> "—") and findings ``evidence.name, evidence.sha256,
    evidence.verified``.
    """
    check_k(k)
    check_level(redaction_level)
    t = wording.texts(lang)
    c = t["cover"]
    verified = value(f, "evidence.verified")
    hash_state = (
        c["hash_verified"]
        if verified is True
        else c["hash_mismatch"]
        if verified is False
        else c["hash_unchecked"]
    )
    rows = [(c[name], str(params.get(name) or "—")) for name in _COVER_PARAMS]
    rows += [
        (c["produced"], locale.instant(produced_at, lang) if produced_at else "—"),
        (c["evidence_file"], str(value(f, "evidence.name") or _nc(lang))),
        (c["evidence_hash"], str(value(f, "evidence.sha256") or _nc(lang))),
        (c["hash_check"], hash_state),
        (c["threshold"], wording.text("cover.threshold_value", lang, k=k, k_minus_one=k - 1)),
        (
            c["redaction_level"],
            c["redaction_aggregate"] if redaction_level == "aggregate" else c["redaction_masked"],
        ),
    ]
    body = "".join(
        f'<tr><th scope="row">{escape(a)}</th><td>{escape(b)}</td></tr>' for a, b in rows
    )
    return (
        '<header class="ds-cover">'
        f"<h1>{escape(t['title'])}</h1>"
        f'<p class="ds-subtitle">{escape(t["subtitle"])}</p>'
        f'<h2 class="ds-unnumbered">{escape(c["heading"])}</h2>'
        f'<table class="dumpscope-table ds-control">{body}</table>'
        f'<p class="ds-aggregate">{escape(c["aggregate_only"])}</p>'
        "</header>"
    )


def toc(lang: str = "fr") -> str:
    """Table of contents: the executive summary, the numbered sections, the annexes."""
    t = wording.texts(lang)
    items = [
        f'<li class="ds-unnumbered"><a href="#sec-summary">{escape(t["summary"]["title"])}</a></li>'
    ]
    for number, (name, _) in enumerate(SECTIONS, start=1):
        items.append(
            f'<li><a href="#sec-{name}">{number}. {escape(wording.section_title(name, lang))}</a></li>'
        )
    items.append(
        f'<li class="ds-unnumbered"><a href="#sec-annexes">{escape(t["annexes"])}</a></li>'
    )
    return f'<nav class="ds-toc"><h2 class="ds-unnumbered">{escape(t["toc"])}</h2><ol>{"".join(items)}</ol></nav>'


def executive_summary(f: Mapping[str, Any], *, lang: str = "fr", k: int = 10) -> str:
    """The one-page plain-words summary (:func:`dumpscope.report.wording.executive_summary`)."""
    title = wording.texts(lang)["summary"]["title"]
    sentences = "".join(_p(s) for s in wording.executive_summary(f, lang, k))
    return f'<section id="sec-summary" class="ds-summary"><h2>{escape(title)}</h2>{sentences}</section>'
