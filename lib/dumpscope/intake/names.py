"""Normalized column names: ASCII, lower snake case, de-duplicated with ``_2``, ``_3``."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_RESERVED = {"_source_line", "_line_count"}


def normalize_name(original: str, index: int) -> str:
    """One column name as ASCII lower snake case.

    Accents are stripped (``Prénom`` -> ``prenom``), ligatures expanded (``Œ`` -> ``oe``),
    every run of other characters becomes ``_``. An empty result becomes ``column_<index+1>``;
    a leading digit gets a ``c_`` prefix.

    Parameters
    ----------
    original
        Header text as decoded.
    index
        0-based position of the column.

    Returns
    -------
    str
    """
    text = original.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = text.replace("ß", "ss")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = _NON_WORD.sub("_", ascii_text.lower()).strip("_")
    if not name:
        return f"column_{index + 1}"
    if name[0].isdigit():
        name = f"c_{name}"
    return name


def normalize_names(originals: list[str]) -> list[str]:
    """Normalize every header name and make the names unique.

    The second ``nom`` becomes ``nom_2``, the third ``nom_3`` (skipping names already taken).

    Parameters
    ----------
    originals
        Header texts in column order.

    Returns
    -------
    list[str]
        Names in the same order, unique, none equal to ``_source_line`` or ``_line_count``.
    """
    base = [normalize_name(o, i) for i, o in enumerate(originals)]
    taken = set(_RESERVED)
    out: list[str] = []
    seen: dict[str, int] = {}
    for name in base:
        if name not in taken:
            out.append(name)
            taken.add(name)
            seen[name] = 1
            continue
        k = max(seen.get(name, 1), 1) + 1
        while f"{name}_{k}" in taken:
            k += 1
        seen[name] = k
        out.append(f"{name}_{k}")
        taken.add(f"{name}_{k}")
    return out
