"""Annexes of the summary report: hashes, parameters, software versions, detectors, glossary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import metadata
from typing import Any

from dumpscope.findings import value
from dumpscope.report import locale, wording
from dumpscope.report.redact import escape, suppress
from dumpscope.report.summary._html import _p, _t, _ul, table

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
        f"{_accuracy(f, a['accuracy'], lang, int(params.get('k', 10)))}"
        f"<h3>{escape(a['glossary']['title'])}</h3><dl>{gloss}</dl>"
        "</section>"
    )


def _accuracy(f: Mapping[str, Any], texts: Mapping[str, str], lang: str, k: int) -> str:
    """Precision and recall of the health detector, when the run measured them (labels beside
    the dump); labelled-row counts below k read "< k"."""
    evaluation = value(f, "sensitive.detector")
    evaluation = evaluation.get("evaluation") if isinstance(evaluation, Mapping) else None
    cells = evaluation.get("cells") if isinstance(evaluation, Mapping) else None
    if not cells:
        return ""
    rows = [
        (
            wording.label(c.get("category", ""), lang),
            wording.label(c.get("qualifier", ""), lang),
            locale.percent(c["precision"], lang, digits=1)
            if c.get("precision") is not None
            else "—",
            locale.percent(c["recall"], lang, digits=1) if c.get("recall") is not None else "—",
            locale.number(suppress(int(c.get("support") or 0), k), lang),
        )
        for c in cells
        if c.get("qualifier") != "*"
        and c.get("category") != "medication_class"
        and (c.get("support") or 0) + (c.get("fp") or 0) > 0
    ]
    heads = [texts[h] for h in ("category", "qualifier", "precision", "recall", "support")]
    intro = f"{texts['intro']} ({evaluation.get('labels', '')})"
    return f"<h3>{escape(texts['title'])}</h3>{_p(intro)}{table(heads, rows)}"
