"""The custody view of a run: the ``evidence`` and ``records`` sections and their display tables.

Built from the intake record (``intake.json``, contracts §4) and the working copy; used by
``notebooks/00-inspect-evidence.ipynb``. Nothing here shows raw content: quarantined lines are
described by reason, count and line number only.
"""

from __future__ import annotations

from typing import Any

import polars as pl

_TECHNICAL = ("_source_line", "_line_count")
_REASONS = (
    "nul_byte",
    "undecodable",
    "blank_line",
    "unbalanced_quote",
    "extra_fields",
    "missing_fields",
)
_LABELS = {
    "fr": {
        "name": "Nom du fichier",
        "bytes": "Taille (octets)",
        "sha256": "SHA-256",
        "sha1": "SHA-1",
        "md5": "MD5",
        "verified": "Empreinte vérifiée en fin d'analyse",
        "container": "Conteneur",
        "encoding": "Encodage",
        "delimiter": "Séparateur",
        "quotechar": "Caractère de citation",
        "header_row": "Ligne d'en-tête",
        "line_terminator": "Fin de ligne",
        "columns": "Colonnes",
        "forced": "Choix imposés par l'analyste",
        "property": "Propriété",
        "value": "Valeur",
        "confidence": "Confiance",
        "reason": "Motif",
        "lines": "Lignes",
        "first_lines": "Premiers numéros de ligne",
        "item": "Élément",
        "count": "Nombre",
        "physical": "Lignes physiques",
        "header": "Lignes d'en-tête",
        "loaded_records": "Enregistrements chargés",
        "loaded_lines": "Lignes des enregistrements chargés",
        "quarantined_lines": "Lignes mises à l'écart",
        "multiline_records": "Enregistrements sur plusieurs lignes",
        "exact_duplicate_rows": "Doublons exacts",
        "yes": "oui",
        "no": "non",
        "none": "aucun",
    },
    "en": {
        "name": "File name",
        "bytes": "Size (bytes)",
        "sha256": "SHA-256",
        "sha1": "SHA-1",
        "md5": "MD5",
        "verified": "Hash verified at the end of the analysis",
        "container": "Container",
        "encoding": "Encoding",
        "delimiter": "Delimiter",
        "quotechar": "Quote character",
        "header_row": "Header row",
        "line_terminator": "Line terminator",
        "columns": "Columns",
        "forced": "Choices forced by the analyst",
        "property": "Property",
        "value": "Value",
        "confidence": "Confidence",
        "reason": "Reason",
        "lines": "Lines",
        "first_lines": "First line numbers",
        "item": "Item",
        "count": "Count",
        "physical": "Physical lines",
        "header": "Header lines",
        "loaded_records": "Records loaded",
        "loaded_lines": "Lines of loaded records",
        "quarantined_lines": "Lines set aside",
        "multiline_records": "Records spanning several lines",
        "exact_duplicate_rows": "Exact duplicate rows",
        "yes": "yes",
        "no": "no",
        "none": "none",
    },
}


def labels(lang: str) -> dict[str, str]:
    """Display labels (``fr`` or ``en``; anything else falls back to ``en``)."""
    return _LABELS.get(lang, _LABELS["en"])


def _visible(char: Any) -> str:
    names = {";": "; (point-virgule / semicolon)", ",": ", (comma)", "\t": "TAB", "|": "|"}
    if char is None:
        return ""
    return names.get(char, repr(char)[1:-1] if isinstance(char, str) else str(char))


def _reason_label(reason: str, lang: str) -> str:
    try:
        from dumpscope.report.wording import label
    except ImportError:  # pragma: no cover - wording is part of the package
        return reason
    try:
        return f"{label(reason, lang)} ({reason})"
    except (KeyError, OSError):
        return reason


def reconciliation_sentence(section: dict[str, Any], lang: str = "fr") -> str:
    """One markdown sentence stating whether the lines reconcile.

    Parameters
    ----------
    section : dict
        From :func:`records_section` (``physical_lines, header_lines, loaded_lines,
        quarantined_lines, reconciled``).
    lang : str
        ``fr`` or ``en``.

    Returns
    -------
    str
        E.g. ``"**Reconciled**: 1 (header) + 480 (records) + 20 (set aside) = 501 physical lines."``
    """
    parts = [section.get(k) for k in ("header_lines", "loaded_lines", "quarantined_lines")]
    total = section.get("physical_lines")
    ok = bool(section.get("reconciled"))
    if lang == "fr":
        head = "**Rapprochement exact**" if ok else "**Rapprochement en échec**"
        names = ("en-tête", "enregistrements chargés", "mises à l'écart")
        tail = "lignes physiques"
    else:
        head = "**Reconciled**" if ok else "**Reconciliation FAILED**"
        names = ("header", "loaded records", "set aside")
        tail = "physical lines"
    terms = " + ".join(f"{v} ({n})" for v, n in zip(parts, names, strict=True))
    sign = "=" if ok else "≠"
    return (
        f"{head} : {terms} {sign} {total} {tail}."
        if lang == "fr"
        else (f"{head}: {terms} {sign} {total} {tail}.")
    )


def evidence_section(record: dict[str, Any], rehashed_sha256: str | None = None) -> dict[str, Any]:
    """The ``evidence`` section: custody hashes and detected format.

    Parameters
    ----------
    record : dict
        The intake record (``intake.json``): ``evidence``, ``format``, ``columns``, ``lines``.
    rehashed_sha256 : str, optional
        SHA-256 of the evidence recomputed now; ``verified`` compares it with intake's.

    Returns
    -------
    dict
        ``name, bytes, sha256, sha1, md5, container, members, encoding, encoding_confidence,
        delimiter, delimiter_confidence, quotechar, header_row, line_terminator, forced, columns,
        physical_lines, verified`` (``verified`` is ``None`` when nothing was re-hashed).
    """
    ev = record.get("evidence", {})
    fmt = record.get("format", {})
    lines = record.get("lines", {})
    return {
        "name": ev.get("name"),
        "bytes": ev.get("bytes"),
        "sha256": ev.get("sha256"),
        "sha1": ev.get("sha1"),
        "md5": ev.get("md5"),
        "container": ev.get("container"),
        "members": ev.get("members") or [],
        "encoding": fmt.get("encoding"),
        "encoding_confidence": fmt.get("encoding_confidence"),
        "delimiter": fmt.get("delimiter"),
        "delimiter_confidence": fmt.get("delimiter_confidence"),
        "quotechar": fmt.get("quotechar"),
        "header_row": fmt.get("header_row"),
        "line_terminator": fmt.get("line_terminator"),
        "forced": list(fmt.get("forced") or []),
        "columns": len(record.get("columns", [])),
        "physical_lines": lines.get("physical"),
        "verified": None if rehashed_sha256 is None else rehashed_sha256 == ev.get("sha256"),
    }


def records_section(record: dict[str, Any], working: pl.DataFrame) -> dict[str, Any]:
    """The ``records`` section: line reconciliation, multi-line records, duplicates, quarantine.

    Parameters
    ----------
    record : dict
        The intake record (``lines``, ``quarantine.by_reason``).
    working : pl.DataFrame
        The working copy: source columns (Utf8) + ``_source_line``, ``_line_count``.

    Returns
    -------
    dict
        ``physical_lines, header_lines, loaded, loaded_lines, quarantined_lines, reconciled,
        multiline_records, exact_duplicate_rows, quarantine_by_reason`` (reason ->
        ``{count, lines}``: line numbers only, first 50).
    """
    lines = record.get("lines", {})
    data_columns = [c for c in working.columns if c not in _TECHNICAL]
    distinct = working.select(data_columns).n_unique() if data_columns and working.height else 0
    multiline = (
        int(working.select((pl.col("_line_count") > 1).sum()).item())
        if "_line_count" in working.columns
        else 0
    )
    by_reason = record.get("quarantine", {}).get("by_reason", {})
    return {
        "physical_lines": lines.get("physical"),
        "header_lines": lines.get("header"),
        "loaded": lines.get("loaded_records", working.height),
        "loaded_lines": lines.get("loaded_lines"),
        "quarantined_lines": lines.get("quarantined_lines"),
        "reconciled": lines.get("reconciled"),
        "multiline_records": multiline,
        "exact_duplicate_rows": working.height - distinct,
        "quarantine_by_reason": {
            reason: {
                "count": int(info.get("count", 0)),
                "lines": [int(n) for n in info.get("lines", [])][:50],
            }
            for reason, info in sorted(by_reason.items())
        },
    }


def custody_table(section: dict[str, Any], lang: str = "fr") -> pl.DataFrame:
    """Display table of the custody record (name, size, hashes, verification).

    Parameters
    ----------
    section : dict
        From :func:`evidence_section`.
    lang : str
        ``fr`` or ``en``.

    Returns
    -------
    pl.DataFrame
        Two Utf8 columns: property, value.
    """
    lab = labels(lang)
    verified = section.get("verified")
    rows = [
        (lab["name"], section.get("name")),
        (lab["bytes"], section.get("bytes")),
        (lab["sha256"], section.get("sha256")),
        (lab["sha1"], section.get("sha1")),
        (lab["md5"], section.get("md5")),
        (lab["verified"], "" if verified is None else lab["yes" if verified else "no"]),
    ]
    if section.get("container"):
        rows.insert(2, (lab["container"], section["container"]))
    return pl.DataFrame(
        {
            lab["property"]: [r[0] for r in rows],
            lab["value"]: ["" if r[1] is None else str(r[1]) for r in rows],
        }
    )


def format_table(section: dict[str, Any], lang: str = "fr") -> pl.DataFrame:
    """Display table of the detected format with confidences.

    Returns
    -------
    pl.DataFrame
        Utf8 columns: property, value, confidence.
    """
    lab = labels(lang)

    def conf(value: Any) -> str:
        return "" if value is None else f"{float(value):.2f}"

    terminator = {"\r\n": "CRLF (\\r\\n)", "\n": "LF (\\n)", "\r": "CR (\\r)"}
    rows = [
        (lab["encoding"], section.get("encoding"), conf(section.get("encoding_confidence"))),
        (
            lab["delimiter"],
            _visible(section.get("delimiter")),
            conf(section.get("delimiter_confidence")),
        ),
        (lab["quotechar"], _visible(section.get("quotechar")), ""),
        (lab["header_row"], section.get("header_row"), ""),
        (
            lab["line_terminator"],
            terminator.get(
                section.get("line_terminator"), _visible(section.get("line_terminator"))
            ),
            "",
        ),
        (lab["columns"], section.get("columns"), ""),
        (lab["forced"], ", ".join(section.get("forced") or []) or lab["none"], ""),
    ]
    return pl.DataFrame(
        {
            lab["property"]: [r[0] for r in rows],
            lab["value"]: ["" if r[1] is None else str(r[1]) for r in rows],
            lab["confidence"]: [r[2] for r in rows],
        }
    )


def reconciliation_table(section: dict[str, Any], lang: str = "fr") -> pl.DataFrame:
    """Display table: physical lines = header + loaded-record lines + quarantined lines.

    Returns
    -------
    pl.DataFrame
        ``item`` (Utf8), ``count`` (Int64) — counts of lines/records, not of persons.
    """
    lab = labels(lang)
    keys = [
        ("physical", "physical_lines"),
        ("header", "header_lines"),
        ("loaded_lines", "loaded_lines"),
        ("quarantined_lines", "quarantined_lines"),
        ("loaded_records", "loaded"),
        ("multiline_records", "multiline_records"),
        ("exact_duplicate_rows", "exact_duplicate_rows"),
    ]
    return pl.DataFrame(
        {
            lab["item"]: [lab[label] for label, _ in keys],
            lab["count"]: [section.get(key) for _, key in keys],
        },
        schema={lab["item"]: pl.Utf8, lab["count"]: pl.Int64},
    )


def quarantine_table(
    section: dict[str, Any], lang: str = "fr", shown_lines: int = 10
) -> pl.DataFrame:
    """Display table of quarantined lines by reason: count and first line numbers (no content).

    Parameters
    ----------
    section : dict
        From :func:`records_section`.
    lang : str
        ``fr`` or ``en``.
    shown_lines : int
        Line numbers listed per reason.

    Returns
    -------
    pl.DataFrame
        ``reason`` (Utf8), ``lines`` (Int64), ``first_lines`` (Utf8), in the intake's reason order.
    """
    lab = labels(lang)
    by_reason = section.get("quarantine_by_reason", {})
    order = [r for r in _REASONS if r in by_reason] + sorted(set(by_reason) - set(_REASONS))
    return pl.DataFrame(
        {
            lab["reason"]: [_reason_label(r, lang) for r in order],
            lab["lines"]: [by_reason[r]["count"] for r in order],
            lab["first_lines"]: [
                ", ".join(str(n) for n in by_reason[r]["lines"][:shown_lines])
                + (" …" if by_reason[r]["count"] > shown_lines else "")
                for r in order
            ],
        },
        schema={lab["reason"]: pl.Utf8, lab["lines"]: pl.Int64, lab["first_lines"]: pl.Utf8},
    )
