"""The normalized view (docs/contracts.md §5): one typed column per role, with validity statuses.

Several source columns with one role give the first non-empty value in column order, except
``address`` and ``comment`` (non-empty values joined with `` | ``), the NIR (a separate 2-digit
key column is appended to a 13-character number) and the doctor (prescriber first). Without a
first-name column, a merged "surname first-name" column is split (known first names decide).
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import polars as pl

from dumpscope.frames import Frame, column_names, height
from dumpscope.roles.content import first_names
from dumpscope.roles.scan import pick
from dumpscope.roles.validators._unique import blank_to_null
from dumpscope.roles.validators.blood import blood_group, parse_abo, parse_rhesus
from dumpscope.roles.validators.civility import parse_civility, parse_sex
from dumpscope.roles.validators.dates import validate_date
from dumpscope.roles.validators.email import validate_email
from dumpscope.roles.validators.names import clean_names, split_full_names
from dumpscope.roles.validators.nir import join_split_key, validate_nir
from dumpscope.roles.validators.phone import validate_phone
from dumpscope.roles.validators.postcode import validate_postcode

#: Column order and types of the view.
VIEW_SCHEMA: dict[str, pl.DataType] = {
    "_source_line": pl.UInt64,
    "usage_name": pl.Utf8,
    "birth_name": pl.Utf8,
    "first_name": pl.Utf8,
    "name_mojibake": pl.Boolean,
    "civility": pl.Utf8,
    "sex": pl.Utf8,
    "birth_date": pl.Date,
    "birth_date_status": pl.Utf8,
    "address": pl.Utf8,
    "city": pl.Utf8,
    "postcode": pl.Utf8,
    "postcode_status": pl.Utf8,
    "residence_dep": pl.Utf8,
    "residence_region": pl.Utf8,
    "commune_insee": pl.Utf8,
    "landline": pl.Utf8,
    "landline_status": pl.Utf8,
    "mobile": pl.Utf8,
    "mobile_status": pl.Utf8,
    "email": pl.Utf8,
    "email_status": pl.Utf8,
    "email_domain": pl.Utf8,
    "nir": pl.Utf8,
    "nir_status": pl.Utf8,
    "nir_sex": pl.Utf8,
    "nir_birth_yy": pl.Int16,
    "nir_birth_month": pl.Int8,
    "nir_birth_dep": pl.Utf8,
    "nir_birth_place": pl.Utf8,
    "blood_group": pl.Utf8,
    "lab_code": pl.Utf8,
    "lab_name": pl.Utf8,
    "sample_date": pl.Date,
    "last_visit_date": pl.Date,
    "sample_date_status": pl.Utf8,
    "doctor_name": pl.Utf8,
    "doctor_postcode": pl.Utf8,
    "doctor_dep": pl.Utf8,
    "mutuelle": pl.Utf8,
    "login": pl.Utf8,
    "password": pl.Utf8,
    "dossier": pl.Utf8,
    "comment": pl.Utf8,
    "exam_list": pl.Utf8,
}

#: Birth dates outside this range are impossible (flagged ``invalid``).
BIRTH_MIN = dt.date(1890, 1, 1)
#: Sample dates outside this range are impossible.
SAMPLE_MIN = dt.date(1990, 1, 1)


def _columns_by_role(roles: pl.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for column, role in roles.select("column", "role").iter_rows():
        out.setdefault(role, []).append(column)
    return out


def _first(working: Frame, cols: list[str], n: int, *, strip: bool = True) -> pl.Series:
    """First non-blank value across ``cols`` (in order); null when all are blank."""
    if not cols:
        return pl.repeat(None, n, dtype=pl.Utf8, eager=True)
    if strip:
        exprs = [blank_to_null(pl.col(c)) for c in cols]
    else:
        exprs = [
            pl.when(pl.col(c).str.strip_chars().str.len_chars() > 0).then(pl.col(c)) for c in cols
        ]
    return pick(working, pl.coalesce(exprs).alias("v"))["v"]


def _joined(working: Frame, cols: list[str], n: int) -> pl.Series:
    """Non-blank values across ``cols`` joined with `` | ``; null when all are blank."""
    if not cols:
        return pl.repeat(None, n, dtype=pl.Utf8, eager=True)
    joined = pl.concat_str(
        [blank_to_null(pl.col(c)) for c in cols], separator=" | ", ignore_nulls=True
    )
    return pick(working, blank_to_null(joined).alias("v"))["v"]


def _nir_input(working: Frame, cols: list[str], n: int) -> pl.Series:
    """The NIR column(s): a column of 1-2 digit values is a split key appended to the number."""
    if len(cols) < 2:
        return _first(working, cols, n)
    keys, numbers = [], []
    for c in cols:
        v = pl.col(c).str.strip_chars()
        v = v.filter(v.str.len_chars() > 0)
        short = pick(working, v.str.contains(r"^\d{1,2}$").mean().alias("short"))["short"][0]
        (keys if (short or 0.0) > 0.9 else numbers).append(c)
    number = _first(working, numbers, n)
    if not keys:
        return number
    key = _first(working, keys, n)
    frame = pl.DataFrame({"n": number, "k": key})
    return frame.select(join_split_key(pl.col("n"), pl.col("k").fill_null("")).alias("v"))["v"]


def _doctor_order(roles: pl.DataFrame, role: str) -> list[str]:
    """Columns of ``role``, prescriber columns first (header mentions PRESCRI)."""
    sub = roles.filter(pl.col("role") == role).select("column", "original").rows()
    presc = [c for c, o in sub if "presc" in (c + " " + str(o)).lower()]
    return presc + [c for c, _ in sub if c not in presc]


def normalize(
    working: pl.DataFrame | pl.LazyFrame, roles: pl.DataFrame, reference: Any
) -> pl.DataFrame:
    """Build the normalized view every analysis reads (docs/contracts.md §5).

    Parameters
    ----------
    working
        The working copy (Utf8 columns + ``_source_line``), eager or lazy (identical results).
        Only the columns with a role other than ``other`` (and ``_source_line``) are read, a
        role's columns at a time: a lazy copy is never held whole.
    roles
        The role table of :func:`dumpscope.roles.detect_roles` (``column``, ``original``,
        ``role``; file order).
    reference
        Reference object with ``postcodes``, ``communes``, ``commune_postcodes`` frames
        (``dumpscope.reference.load_reference()``).

    Returns
    -------
    pl.DataFrame
        One row per working-copy row, same order, exactly the columns of ``VIEW_SCHEMA``:
        ``_source_line``, names (+ ``name_mojibake``), ``civility``, ``sex``, ``birth_date`` (+
        status), ``address``, ``city``, ``postcode`` (+ status, ``residence_dep``,
        ``residence_region``, ``commune_insee``), ``landline``/``mobile`` (E.164 + status),
        ``email`` (+ status, domain), ``nir`` (+ status and decoded fields), ``blood_group``,
        ``lab_code``, ``lab_name``, ``sample_date`` (+ status), ``last_visit_date``, doctor
        fields, ``mutuelle``, ``login``, ``password``, ``dossier``, ``comment``, ``exam_list``.
    """
    by_role = _columns_by_role(roles)
    n = height(working)

    def first(role: str, **kw: Any) -> pl.Series:
        return _first(working, by_role.get(role, []), n, **kw)

    def names() -> dict[str, pl.Series]:
        out: dict[str, pl.Series] = {}
        mojibake = pl.repeat(False, n, dtype=pl.Boolean, eager=True)
        for role in ("usage_name", "birth_name", "first_name"):
            cleaned = clean_names(first(role))
            out[role] = cleaned["name"]
            mojibake = mojibake | cleaned["name_mojibake"].fill_null(False)
        out["name_mojibake"] = mojibake
        if not by_role.get("first_name") and by_role.get("usage_name"):
            # a merged "NOM PRENOM" column: split it when its words say so
            split = split_full_names(out["usage_name"], first_names())
            if split is not None:
                out["usage_name"], out["first_name"] = split["surname"], split["first_name"]
        return out

    def civility_sex() -> dict[str, pl.Series]:
        return {
            "civility": parse_civility(first("civility"))["civility"],
            "sex": parse_sex(first("sex"))["sex"],
        }

    def birth() -> dict[str, pl.Series]:
        out = validate_date(first("birth_date"), min_date=BIRTH_MIN, max_date=None)
        return {"birth_date": out["date"], "birth_date_status": out["date_status"]}

    def place() -> dict[str, pl.Series]:
        city = first("city")
        out = validate_postcode(first("postcode"), city, reference)
        return {
            "address": _joined(working, by_role.get("address", []), n),
            "city": city,
            **{c: out[c] for c in out.columns},
        }

    def phones() -> dict[str, pl.Series]:
        out: dict[str, pl.Series] = {}
        for role in ("landline", "mobile"):
            phone = validate_phone(first(role))
            out[role] = phone["phone"]
            out[f"{role}_status"] = phone["phone_status"]
        return out

    def mail() -> dict[str, pl.Series]:
        out = validate_email(first("email"))
        return {c: out[c] for c in ("email", "email_status", "email_domain")}

    def nir() -> dict[str, pl.Series]:
        out = validate_nir(_nir_input(working, by_role.get("nir", []), n))
        return {c: out[c] for c in out.columns}

    def blood() -> dict[str, pl.Series]:
        abo = parse_abo(first("blood_group"))
        rh = parse_rhesus(first("rhesus"))["rhesus"]
        frame = pl.DataFrame({"a": abo["abo"], "r": abo["abo_rhesus"], "h": rh})
        return {"blood_group": frame.select(blood_group(pl.col("a"), pl.coalesce("h", "r")))[:, 0]}

    def visits() -> dict[str, pl.Series]:
        sample = validate_date(first("sample_date"), min_date=SAMPLE_MIN)
        last = validate_date(first("last_visit_date"), min_date=SAMPLE_MIN)
        return {
            "lab_code": first("lab_code"),
            "lab_name": first("lab_name"),
            "sample_date": sample["date"],
            "last_visit_date": last["date"],
            "sample_date_status": sample["date_status"],
        }

    def doctors() -> dict[str, pl.Series]:
        pc = validate_postcode(
            _first(working, _doctor_order(roles, "doctor_postcode"), n), None, reference
        )
        return {
            "doctor_name": _first(working, _doctor_order(roles, "doctor_name"), n),
            "doctor_postcode": pc["postcode"],
            "doctor_dep": pc["residence_dep"],
        }

    def rest() -> dict[str, pl.Series]:
        return {
            "mutuelle": first("mutuelle"),
            "login": first("login", strip=False),
            "password": first("password", strip=False),
            "dossier": first("dossier"),
            "comment": _joined(working, by_role.get("comment", []), n),
            "exam_list": first("exam_list"),
        }

    tasks = (nir, phones, place, names, birth, visits, doctors, mail, rest, civility_sex, blood)
    # The parts are independent; polars releases the GIL, so threads use both cores.
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        parts = list(pool.map(lambda task: task(), tasks))
    cols: dict[str, pl.Series] = {}
    for part in parts:
        cols.update(part)
    if "_source_line" in column_names(working):
        cols["_source_line"] = pick(working, pl.col("_source_line").cast(pl.UInt64))[:, 0]
    else:
        cols["_source_line"] = pl.Series(range(1, n + 1), dtype=pl.UInt64)

    return pl.DataFrame(
        [cols[name].cast(dtype).rename(name) for name, dtype in VIEW_SCHEMA.items()]
    )
