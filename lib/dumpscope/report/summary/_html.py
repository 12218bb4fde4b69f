"""Building blocks of the summary report: escaped tables and paragraphs, count texts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dumpscope.findings import value
from dumpscope.report import locale, wording
from dumpscope.report.redact import escape, suppress


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
