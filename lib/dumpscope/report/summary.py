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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import metadata, resources
from typing import Any

from dumpscope.findings import CATEGORIES, QUALIFIERS, category_persons, computed, value
from dumpscope.report import locale, wording
from dumpscope.report.redact import (
    DEFAULT_LEVEL,
    check_k,
    check_level,
    escape,
    is_small,
    suppress,
)

#: Numbered sections of the report, in order, with the findings keys each one reads.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("evidence", ("evidence", "records")),
    ("volumes", ("records", "persons")),
    ("categories", ("data_classes", "contact", "credentials")),
    ("health", ("sensitive",)),
    ("vulnerable", ("persons",)),
    ("identifiability", ("nir", "data_classes")),
    ("authenticity", ("authenticity",)),
    ("quality", ("nir", "dates", "contact")),
    ("timeline", ("dates",)),
    ("geography", ("geography",)),
    ("labs", ("labs",)),
    ("severity", ("severity",)),
    ("limitations", ()),
)
#: Charts drawn after a section's tables.
SECTION_CHARTS: dict[str, str] = {
    "categories": "categories",
    "health": "health",
    "timeline": "timeline",
    "geography": "geography",
}
#: Packages whose versions are listed in the annex.
SOFTWARE = (
    "dumpscope",
    "polars",
    "pyarrow",
    "altair",
    "vl-convert-python",
    "geopandas",
    "papermill",
    "nbconvert",
    "python-stdnum",
    "phonenumbers",
    "email-validator",
    "edsnlp",
    "babel",
)
#: Parameters left out of annex B: they differ between identical runs (see manifest.json).
VOLATILE_PARAMS = frozenset({"run_dir"})
_COVER_PARAMS = ("case_ref", "report_id", "analyst", "requesting_magistrate", "classification")


# ------------------------------------------------------------------------------------ helpers
def _nc(lang: str) -> str:
    return str(wording.template("not_computed", lang))


def count_text(raw: Any, lang: str, k: int) -> str:
    """A count as report text: suppressed below ``k``, babel-formatted, "not computed" if None."""
    if raw is None or isinstance(raw, Mapping | list):
        return _nc(lang)
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return _nc(lang)
    return locale.number(suppress(raw, k), lang)


def _num(raw: Any, lang: str, digits: int = 2) -> str:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return _nc(lang)
    if isinstance(raw, int):
        return locale.number(raw, lang)
    return locale.number(raw, lang, digits=digits)


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(text)}</p>"


def _ul(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    numeric: Sequence[int] = (),
    caption: str | None = None,
) -> str:
    """An HTML table; every header and cell is escaped (cells must already be report text).

    Parameters
    ----------
    headers
        Column titles.
    rows
        Cell texts (already formatted and suppressed).
    numeric
        Indexes of right-aligned columns.
    caption
        Optional caption.
    """
    right = set(numeric)
    out = ['<table class="dumpscope-table">']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<thead><tr>")
    for i, head in enumerate(headers):
        align = ' class="num"' if i in right else ""
        out.append(f"<th{align}>{escape(head)}</th>")
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            align = ' class="num"' if i in right else ""
            out.append(f"<td{align}>{escape(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _t(key: str, lang: str) -> str:
    return wording.text(f"tables.{key}", lang)


def _keyed(block: Any) -> dict[str, Any]:
    """A ``{code: entry}`` mapping from a mapping or a list of dicts carrying a code key."""
    if isinstance(block, Mapping):
        return dict(block)
    out: dict[str, Any] = {}
    if isinstance(block, list):
        for item in block:
            if not isinstance(item, Mapping):
                continue
            for key in ("code", "dep", "departement", "lab_code", "category", "name", "year"):
                if key in item:
                    out[str(item[key])] = item
                    break
    return out


def _persons_rows(entry: Any) -> tuple[Any, Any]:
    if isinstance(entry, Mapping):
        return entry.get("persons"), entry.get("rows")
    if isinstance(entry, int):
        return None, entry
    return None, None


def _data_classes(f: Mapping[str, Any]) -> dict[str, Any]:
    block = value(f, "data_classes")
    if not isinstance(block, Mapping):
        return {}
    for key in ("data_classes", "classes", "categories", "by_class"):
        if isinstance(block.get(key), Mapping | list):
            return _keyed(block[key])
    return {
        name: entry
        for name, entry in block.items()
        if isinstance(entry, Mapping) and ("persons" in entry or "rows" in entry)
    }


def _not_computed(f: Mapping[str, Any], keys: Sequence[str], lang: str) -> str:
    return _p(wording.not_computed_note(f, tuple(keys), lang), "dumpscope-note")


# --------------------------------------------------------------------------------- fragments
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


def _section_evidence(f: Mapping[str, Any], lang: str, k: int) -> str:
    lab = wording.label
    rows = [
        (wording.text("tables.file", lang), str(value(f, "evidence.name") or _nc(lang))),
        ("SHA-256", str(value(f, "evidence.sha256") or _nc(lang))),
        (lab("bytes", lang), _num(value(f, "evidence.bytes"), lang)),
        (lab("lines_physical", lang), _num(value(f, "evidence.physical_lines"), lang)),
        (lab("records_loaded", lang), _num(value(f, "records.loaded"), lang)),
        (
            lab("lines_quarantined", lang),
            count_text(value(f, "records.quarantined_lines"), lang, k),
        ),
    ]
    out = table([_t("item", lang), _t("value", lang)], rows)
    reasons = value(f, "records.quarantine_by_reason")
    if isinstance(reasons, Mapping) and reasons:
        out += table(
            [_t("reason", lang), _t("lines", lang)],
            [(lab(r, lang), count_text(n, lang, k)) for r, n in sorted(reasons.items())],
            numeric=(1,),
        )
    return out


def _section_volumes(f: Mapping[str, Any], lang: str, k: int) -> str:
    lab = wording.label
    low, high = value(f, "persons.distinct_low"), value(f, "persons.distinct_high")
    rows = [
        (lab("lines_physical", lang), _num(value(f, "evidence.physical_lines"), lang)),
        (lab("records_loaded", lang), count_text(value(f, "records.loaded"), lang, k)),
        (lab("duplicates", lang), count_text(value(f, "records.exact_duplicate_rows"), lang, k)),
        (lab("persons_distinct", lang), count_text(value(f, "persons.distinct"), lang, k)),
        (
            lab("persons_distinct", lang) + " (min – max)",
            f"{count_text(low, lang, k)} – {count_text(high, lang, k)}",
        ),
    ]
    return table([_t("item", lang), _t("value", lang)], rows, numeric=(1,))


def _section_categories(f: Mapping[str, Any], lang: str, k: int) -> str:
    out = ""
    classes = _data_classes(f)
    if classes:
        rows = []
        for name, entry in classes.items():
            persons, nrows = _persons_rows(entry)
            rows.append(
                (
                    wording.label(name, lang),
                    count_text(persons, lang, k),
                    count_text(nrows, lang, k),
                )
            )
        out += table(
            [_t("category", lang), _t("persons", lang), _t("rows", lang)], rows, numeric=(1, 2)
        )
    if computed(f, "contact"):
        heads = [_t("category", lang)] + [
            wording.label(s, lang) for s in ("valid", "invalid", "missing")
        ]
        rows = []
        for kind in ("email", "landline", "mobile"):
            block = value(f, f"contact.{kind}")
            if isinstance(block, Mapping):
                rows.append(
                    [wording.label(kind, lang)]
                    + [count_text(block.get(s), lang, k) for s in ("valid", "invalid", "missing")]
                )
        out += table(heads, rows, numeric=(1, 2, 3))
    if computed(f, "credentials"):
        rows = [
            ("cred_login", value(f, "credentials.rows_with_login")),
            ("cred_password", value(f, "credentials.rows_with_password")),
            ("cred_derived", value(f, "credentials.derived_from_personal_data")),
        ]
        strength = value(f, "credentials.strength")
        if isinstance(strength, Mapping):
            rows += [(f"strength_{name}", n) for name, n in strength.items()]
        out += table(
            [wording.label("credentials", lang), _t("rows", lang)],
            [(wording.label(name, lang), count_text(n, lang, k)) for name, n in rows],
            numeric=(1,),
        )
    return out or _not_computed(f, ("data_classes", "contact", "credentials"), lang)


def _section_health(f: Mapping[str, Any], lang: str, k: int) -> str:
    cats = value(f, "sensitive.categories")
    if not isinstance(cats, Mapping):
        return _not_computed(f, ("sensitive",), lang)
    # category totals (persons with any mention) only when the detector gave them
    totals = any(isinstance(e, Mapping) and e.get("persons") is not None for e in cats.values())
    heads = [_t("category", lang)]
    heads += [_t("persons", lang), _t("rows", lang)] if totals else []
    heads += [wording.label(q, lang) for q in QUALIFIERS]
    rows = []
    for cat in CATEGORIES:
        entry = cats.get(cat) if isinstance(cats.get(cat), Mapping) else {}
        quals = entry.get("qualifiers") or {}
        row = [wording.label(cat, lang)]
        if totals:
            row += [count_text(entry.get(c, 0), lang, k) for c in ("persons", "rows")]
        row += [
            count_text(_persons_rows(quals.get(q))[0] if q in quals else 0, lang, k)
            for q in QUALIFIERS
        ]
        rows.append(row)
    caption = wording.text("labels.health_caption", lang)
    out = table(heads, rows, numeric=range(1, len(heads)), caption=caption)
    meds = value(f, "sensitive.medication_classes")
    if isinstance(meds, Mapping) and meds:
        out += table(
            [wording.label("medication", lang), _t("persons", lang), _t("rows", lang)],
            [
                (
                    wording.label(f"med_{name}", lang),
                    count_text(_persons_rows(e)[0], lang, k),
                    count_text(_persons_rows(e)[1], lang, k),
                )
                for name, e in sorted(meds.items())
            ],
            numeric=(1, 2),
        )
    return out


def _section_vulnerable(f: Mapping[str, Any], lang: str, k: int) -> str:
    values = wording.figures(f, lang, k)
    rows = [
        (wording.label("persons_distinct", lang), values["persons"]),
        (wording.label("minors", lang), values["minors"]),
        (wording.label("pregnancy", lang), values["pregnancy_persons"]),
    ]
    return table([_t("category", lang), _t("persons", lang)], rows, numeric=(1,))


def _section_identifiability(f: Mapping[str, Any], lang: str, k: int) -> str:
    out = ""
    combos = value(f, "data_classes.combinations")
    if isinstance(combos, Mapping) and combos:
        out += table(
            [_t("category", lang), _t("persons", lang)],
            [
                (
                    wording.label(n, lang),
                    count_text(_persons_rows(e)[0] if isinstance(e, Mapping) else e, lang, k),
                )
                for n, e in combos.items()
            ],
            numeric=(1,),
        )
    return out


def _indicator_labels(f: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Indicator code -> label, from the authenticity module's own wording when available."""
    try:
        from dumpscope.analyses.authenticity.wording import LABELS
    except ImportError:
        return {}
    return {code: texts.get(lang, code) for code, texts in LABELS.items()}


def _section_authenticity(f: Mapping[str, Any], lang: str, k: int) -> str:
    if not computed(f, "authenticity"):
        return _not_computed(f, ("authenticity",), lang)
    indicators = value(f, "authenticity.indicators")
    if not isinstance(indicators, list) or not indicators:
        return ""
    labels = _indicator_labels(f, lang)
    rows = []
    for ind in indicators:
        if not isinstance(ind, Mapping):
            continue
        raw = ind.get("value")
        code = str(ind.get("code", ""))
        rows.append(
            (
                labels.get(code, code),
                _num(raw, lang, digits=4) if raw is not None else "—",
                count_text(ind.get("basis"), lang, k),
                wording.label(str(ind.get("status", "")), lang),
            )
        )
    heads = [_t("check", lang), _t("value", lang), _t("rows", lang), _t("status", lang)]
    return table(heads, rows, numeric=(1, 2))


def _section_quality(f: Mapping[str, Any], lang: str, k: int) -> str:
    if not computed(f, "nir"):
        return _not_computed(f, ("nir",), lang)
    statuses = ("valid", "invalid_key", "key_missing", "malformed", "missing")
    return table(
        ["NIR", _t("rows", lang)],
        [
            (wording.label(f"nir_{s}", lang), count_text(value(f, f"nir.{s}"), lang, k))
            for s in statuses
        ],
        numeric=(1,),
    )


def _section_timeline(f: Mapping[str, Any], lang: str, k: int) -> str:
    per_year = _keyed(value(f, "dates.per_year"))
    if not per_year:
        return "" if computed(f, "dates") else _not_computed(f, ("dates",), lang)
    with_persons = any(_persons_rows(e)[0] is not None for e in per_year.values())
    rows = []
    for year in sorted(per_year):
        persons, nrows = _persons_rows(per_year[year])
        row = [str(year), count_text(nrows, lang, k)]
        rows.append(row + [count_text(persons, lang, k)] if with_persons else row)
    heads = [_t("year", lang), _t("rows", lang)] + ([_t("persons", lang)] if with_persons else [])
    return table(heads, rows, numeric=range(1, len(heads)))


def _section_geography(f: Mapping[str, Any], lang: str, k: int) -> str:
    deps = _keyed(value(f, "geography.by_departement"))
    if not deps:
        return _not_computed(f, ("geography",), lang)
    ordered = sorted(deps.items(), key=lambda kv: (-(_persons_rows(kv[1])[0] or 0), kv[0]))
    rows, small, small_persons, small_rows = [], 0, 0, 0
    for code, entry in ordered:
        persons, nrows = _persons_rows(entry)
        if is_small(persons, k):  # grouped: a list of tiny départements says little and risks much
            small += 1
            small_persons += persons or 0
            small_rows += nrows or 0
            continue
        rows.append((code, count_text(persons, lang, k), count_text(nrows, lang, k)))
    if small:
        label = wording.text("labels.other_departements", lang, n=small, k=k)
        rows.append((label, count_text(small_persons, lang, k), count_text(small_rows, lang, k)))
    heads = [_t("departement", lang), _t("persons", lang), _t("rows", lang)]
    return table(heads, rows, numeric=(1, 2))


def _section_labs(f: Mapping[str, Any], lang: str, k: int) -> str:
    labs = _keyed(value(f, "labs.by_code"))
    if not labs:
        return _not_computed(f, ("labs",), lang)
    rows = []
    for code in sorted(labs):
        entry = labs[code] if isinstance(labs[code], Mapping) else {}
        names = entry.get("names") or []
        if isinstance(names, str):
            names = [names]
        rows.append(
            (
                code,
                " / ".join(str(n) for n in names),
                count_text(entry.get("persons"), lang, k),
                count_text(entry.get("rows"), lang, k),
                locale.date(entry.get("first_sample"), lang, fmt="short")
                if entry.get("first_sample")
                else "—",
                locale.date(entry.get("last_sample"), lang, fmt="short")
                if entry.get("last_sample")
                else "—",
            )
        )
    heads = [
        _t(h, lang)
        for h in ("lab_code", "lab_names", "persons", "rows", "first_sample", "last_sample")
    ]
    return table(heads, rows, numeric=(2, 3))


def _justification(just: Any, *path: str) -> str:
    node = just
    for part in path:
        node = node.get(part) if isinstance(node, Mapping) else None
    if isinstance(node, list):
        return "; ".join(str(x) for x in node)
    return "" if node is None or isinstance(node, Mapping) else str(node)


def _score(raw: Any, lang: str) -> str:
    """An ENISA score or input, always with two decimals (``4,00``)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return _nc(lang)
    return locale.number(float(raw), lang, digits=2)


def _section_severity(f: Mapping[str, Any], lang: str, k: int) -> str:
    out = ""
    if computed(f, "severity"):
        lab = wording.label
        just = value(f, "severity.justification")
        rows = [
            (
                lab("dpc", lang),
                _score(value(f, "severity.dpc"), lang),
                _justification(just, "dpc"),
            ),
            (lab("ei", lang), _score(value(f, "severity.ei"), lang), _justification(just, "ei")),
        ]
        cb = value(f, "severity.cb")
        if isinstance(cb, Mapping):
            rows += [
                (
                    f"{lab('cb', lang)} — {lab(name, lang)}",
                    _score(v, lang),
                    _justification(just, "cb", name) or _justification(just, name),
                )
                for name, v in cb.items()
            ]
        else:
            rows.append((lab("cb", lang), _score(cb, lang), _justification(just, "cb")))
        rows.append((lab("se", lang), _score(value(f, "severity.se"), lang), ""))
        level = value(f, "severity.level")
        rows.append((lab("level", lang), lab(level, lang) if level else _nc(lang), ""))
        heads = [_t("input", lang), _t("value", lang), _t("justification", lang)]
        out += table(heads, rows, numeric=(1,))
    else:
        out += _not_computed(f, ("severity",), lang)
    values = wording.figures(f, lang, k)
    lab = wording.label
    categories = [lab(c, lang) for c in ("identity", "nir", "contact", "health", "credentials")]
    art33 = [
        (lab("art33_categories", lang), lab("art33_persons_value", lang)),
        (lab("art33_persons", lang), values["persons"]),
        (lab("art33_data", lang), ", ".join(categories)),
        (lab("art33_records", lang), values["rows"]),
    ]
    out += table([_t("item", lang), _t("value", lang)], art33)
    return out


def _section_limitations(f: Mapping[str, Any], lang: str, k: int) -> str:
    return _ul(wording.limitations(lang)) + _ul(wording.alternatives(lang))


_BUILDERS = {
    "evidence": _section_evidence,
    "volumes": _section_volumes,
    "categories": _section_categories,
    "health": _section_health,
    "vulnerable": _section_vulnerable,
    "identifiability": _section_identifiability,
    "authenticity": _section_authenticity,
    "quality": _section_quality,
    "timeline": _section_timeline,
    "geography": _section_geography,
    "labs": _section_labs,
    "severity": _section_severity,
    "limitations": _section_limitations,
}


def section(name: str, f: Mapping[str, Any], *, lang: str = "fr", k: int = 10) -> str:
    """One numbered section (number = position in :data:`SECTIONS`): title, intro and sentences
    (wording), then its tables; "not computed" note when none of its findings keys is there."""
    check_k(k)
    needs = dict(SECTIONS)[name]
    missing = [key for key in needs if not computed(f, key)]
    sentences = wording.section_sentences(name, f, lang, k)
    intro, rest = sentences[:1], sentences[1:]
    if needs and len(missing) == len(needs):
        note = _p(wording.not_computed_note(f, tuple(missing), lang), "dumpscope-note")
        body = "".join(_p(s) for s in intro) + note
    else:
        body = "".join(_p(s) for s in intro + rest) + _BUILDERS[name](f, lang, k)
    number = [n for n, _ in SECTIONS].index(name) + 1
    title = f"{number}. {wording.section_title(name, lang)}"
    return f'<section id="sec-{name}" class="ds-section"><h2>{escape(title)}</h2>{body}</section>'


# ------------------------------------------------------------------------------------ charts
def _bars(labels: list[str], counts: list[int], x_title: str) -> Any:
    import altair as alt
    import polars as pl

    frame = pl.DataFrame({"label": labels, "n": counts}, schema={"label": pl.Utf8, "n": pl.Int64})
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("n:Q", title=x_title),
            y=alt.Y("label:N", sort="-x", title=None),
        )
        .properties(width=520, height=alt.Step(18))
    )


def chart_data(
    name: str, f: Mapping[str, Any], *, lang: str = "fr", k: int = 10
) -> tuple[list[str], list[int], int]:
    """The bars of chart ``name``: labels, counts (all >= k) and the number left out (< k).

    Charts: ``categories`` (persons per data class), ``health`` (persons per sensitive category),
    ``geography`` (persons per département), ``timeline`` (records per sample year).
    """
    check_k(k)
    pairs: list[tuple[str, Any]] = []
    if name == "categories":
        pairs = [
            (wording.label(n, lang), _persons_rows(e)[0]) for n, e in _data_classes(f).items()
        ]
    elif name == "health":
        cats = value(f, "sensitive.categories")
        if isinstance(cats, Mapping):
            pairs = [
                (wording.label(c, lang), category_persons(cats.get(c)))
                for c in CATEGORIES
                if isinstance(cats.get(c), Mapping)
            ]
    elif name == "geography":
        pairs = [
            (code, _persons_rows(e)[0])
            for code, e in _keyed(value(f, "geography.by_departement")).items()
        ]
    elif name == "timeline":
        pairs = [
            (str(y), _persons_rows(e)[1])
            for y, e in sorted(_keyed(value(f, "dates.per_year")).items())
        ]
    else:
        raise KeyError(f"unknown chart {name!r}")
    kept = [(label, int(n)) for label, n in pairs if isinstance(n, int) and n >= k]
    omitted = sum(1 for _, n in pairs if is_small(n, k))
    return [lbl for lbl, _ in kept], [n for _, n in kept], omitted


def chart(name: str, f: Mapping[str, Any], *, lang: str = "fr", k: int = 10) -> Any | None:
    """The altair bar chart ``name`` (see :func:`chart_data`), or ``None`` when nothing to draw."""
    labels, counts, _ = chart_data(name, f, lang=lang, k=k)
    if not labels:
        return None
    x_title = _t("rows", lang) if name == "timeline" else _t("persons", lang)
    if name == "timeline":
        import altair as alt
        import polars as pl

        frame = pl.DataFrame(
            {"label": labels, "n": counts}, schema={"label": pl.Utf8, "n": pl.Int64}
        )
        return (
            alt.Chart(frame)
            .mark_bar()
            .encode(x=alt.X("label:O", title=_t("year", lang)), y=alt.Y("n:Q", title=x_title))
            .properties(width=520, height=240)
        )
    return _bars(labels, counts, x_title)


def chart_note(name: str, f: Mapping[str, Any], *, lang: str = "fr", k: int = 10) -> str:
    """The plain-words explanation under chart ``name`` (+ how many bars were left out)."""
    _, _, omitted = chart_data(name, f, lang=lang, k=k)
    text = wording.chart_explanation(name, lang, k)
    if omitted:
        text += " " + wording.text("charts.omitted", lang, n=omitted)
    return _p(text, "ds-chart-note")


# ----------------------------------------------------------------------------------- annexes
def software_versions(packages: Iterable[str] = SOFTWARE) -> dict[str, str]:
    """Installed versions of ``packages`` (``importlib.metadata``; absent -> ``"absent"``)."""
    out = {}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def annexes(
    f: Mapping[str, Any],
    params: Mapping[str, Any],
    *,
    lang: str = "fr",
    versions: Mapping[str, str] | None = None,
) -> str:
    """Annexes: hashes, run parameters, software versions, detector definitions, glossary."""
    t = wording.texts(lang)
    a = t["annex"]
    hashes = table(
        [_t("item", lang), _t("value", lang)],
        [
            (algo.upper(), str(value(f, f"evidence.{algo}") or "—"))
            for algo in ("sha256", "sha1", "md5")
        ],
    )
    params_rows = [(str(n), str(v)) for n, v in sorted(params.items()) if n not in VOLATILE_PARAMS]
    software = table(
        [_t("package", lang), _t("version", lang)],
        sorted((versions or {}).items()),
    )
    detectors = a["detectors"]
    det = [detectors[key] for key in ("nir", "phone", "email", "postcode", "health", "persons")]
    gloss = "".join(
        f"<dt>{escape(term)}</dt><dd>{escape(definition)}</dd>"
        for term, definition in wording.glossary(lang)
    )
    return (
        f'<section id="sec-annexes" class="ds-annexes"><h2 class="ds-unnumbered">{escape(t["annexes"])}</h2>'
        f"<h3>{escape(a['hashes']['title'])}</h3>{_p(a['hashes']['intro'])}{hashes}"
        f"<h3>{escape(a['parameters']['title'])}</h3>"
        f"{table([_t('parameter', lang), _t('value', lang)], params_rows)}"
        f"<h3>{escape(a['software']['title'])}</h3>{software}"
        f"<h3>{escape(detectors['title'])}</h3>{_p(detectors['intro'])}{_ul(det)}"
        f"<h3>{escape(a['glossary']['title'])}</h3><dl>{gloss}</dl>"
        "</section>"
    )


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


# ------------------------------------------------------------------------------- CSV tables
def tables(f: Mapping[str, Any]) -> dict[str, Any]:
    """Aggregated frames for CSV export (counts raw here; :mod:`~dumpscope.report.export`
    suppresses them and neutralizes formulas).

    Returns
    -------
    dict[str, pl.DataFrame]
        ``categories`` [category, persons, rows], ``health`` [category, qualifier, persons,
        rows], ``departements`` [departement, persons, rows], ``labs`` [lab_code, names, persons,
        rows, first_sample, last_sample], ``years`` [year, rows, persons]; only those computed.
        Count columns are ``persons`` and ``rows``.
    """
    import polars as pl

    def frame(rows: list[tuple], schema: dict[str, Any]) -> pl.DataFrame:
        return pl.DataFrame(rows, schema=schema, orient="row")

    def n(x: Any) -> int | None:
        return x if isinstance(x, int) and not isinstance(x, bool) else None

    out: dict[str, pl.DataFrame] = {}
    counts = {"persons": pl.Int64, "rows": pl.Int64}
    classes = _data_classes(f)
    if classes:
        rows = [(name, *map(n, _persons_rows(e))) for name, e in classes.items()]
        out["categories"] = frame(rows, {"category": pl.Utf8, **counts})
    cats = value(f, "sensitive.categories")
    if isinstance(cats, Mapping):
        rows = []
        for cat in CATEGORIES:
            entry = cats.get(cat)
            if not isinstance(entry, Mapping):
                continue
            rows.append((cat, "any", n(entry.get("persons")), n(entry.get("rows"))))
            for q, e in (entry.get("qualifiers") or {}).items():
                rows.append((cat, q, *map(n, _persons_rows(e))))
        out["health"] = frame(rows, {"category": pl.Utf8, "qualifier": pl.Utf8, **counts})
    deps = _keyed(value(f, "geography.by_departement"))
    if deps:
        rows = [(code, *map(n, _persons_rows(e))) for code, e in sorted(deps.items())]
        out["departements"] = frame(rows, {"departement": pl.Utf8, **counts})
    labs = _keyed(value(f, "labs.by_code"))
    if labs:
        rows = []
        for code, e in sorted(labs.items()):
            e = e if isinstance(e, Mapping) else {}
            names = e.get("names") or []
            names = [names] if isinstance(names, str) else names
            rows.append(
                (
                    code,
                    " / ".join(str(x) for x in names),
                    n(e.get("persons")),
                    n(e.get("rows")),
                    e.get("first_sample"),
                    e.get("last_sample"),
                )
            )
        out["labs"] = frame(
            rows,
            {
                "lab_code": pl.Utf8,
                "names": pl.Utf8,
                **counts,
                "first_sample": pl.Utf8,
                "last_sample": pl.Utf8,
            },
        )
    years = _keyed(value(f, "dates.per_year"))
    if years:
        rows = [
            (str(y), *reversed([n(x) for x in _persons_rows(e)])) for y, e in sorted(years.items())
        ]
        out["years"] = frame(rows, {"year": pl.Utf8, "rows": pl.Int64, "persons": pl.Int64})
    return out
