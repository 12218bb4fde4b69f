"""The normalized view (docs/contracts.md §5): one typed column per role, with validity statuses.

Several source columns with one role give the first non-empty value in column order, except
``address`` and ``comment`` (non-empty values joined with `` | ``), the NIR (a separate 2-digit
key column is appended to a 13-character number) and the doctor (prescriber first).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from dumpscope.roles.validators._unique import blank_to_null
from dumpscope.roles.validators.blood import blood_group, parse_abo, parse_rhesus
from dumpscope.roles.validators.civility import parse_civility, parse_sex
from dumpscope.roles.validators.dates import validate_date
from dumpscope.roles.validators.email import validate_email
from dumpscope.roles.validators.names import clean_names
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


def _first(working: pl.DataFrame, cols: list[str], *, strip: bool = True) -> pl.Series:
    """First non-blank value across ``cols`` (in order); null when all are blank."""
    if not cols:
        return pl.Series([None] * working.height, dtype=pl.Utf8)
    if strip:
        exprs = [blank_to_null(pl.col(c)) for c in cols]
    else:
        exprs = [
            pl.when(pl.col(c).str.strip_chars().str.len_chars() > 0).then(pl.col(c)) for c in cols
        ]
    return working.select(pl.coalesce(exprs).alias("v"))["v"]


def _joined(working: pl.DataFrame, cols: list[str]) -> pl.Series:
    """Non-blank values across ``cols`` joined with `` | ``; null when all are blank."""
    if not cols:
        return pl.Series([None] * working.height, dtype=pl.Utf8)
    joined = pl.concat_str(
        [blank_to_null(pl.col(c)) for c in cols], separator=" | ", ignore_nulls=True
    )
    return working.select(blank_to_null(joined).alias("v"))["v"]


def _nir_input(working: pl.DataFrame, cols: list[str]) -> pl.Series:
    """The NIR column(s): a column of 1-2 digit values is a split key appended to the number."""
    if len(cols) < 2:
        return _first(working, cols)
    keys, numbers = [], []
    for c in cols:
        v = working[c].str.strip_chars()
        v = v.filter(v.str.len_chars() > 0)
        short = float(v.str.contains(r"^\d{1,2}$").mean() or 0.0) if v.len() else 0.0
        (keys if short > 0.9 else numbers).append(c)
    number = _first(working, numbers)
    if not keys:
        return number
    key = _first(working, keys)
    frame = pl.DataFrame({"n": number, "k": key})
    return frame.select(join_split_key(pl.col("n"), pl.col("k").fill_null("")).alias("v"))["v"]


def _doctor_order(roles: pl.DataFrame, role: str) -> list[str]:
    """Columns of ``role``, prescriber columns first (header mentions PRESCRI)."""
    sub = roles.filter(pl.col("role") == role).select("column", "original").rows()
    presc = [c for c, o in sub if "presc" in (c + " " + str(o)).lower()]
    return presc + [c for c, _ in sub if c not in presc]


def normalize(working: pl.DataFrame, roles: pl.DataFrame, reference: Any) -> pl.DataFrame:
    """Build the normalized view every analysis reads (docs/contracts.md §5).

    Parameters
    ----------
    working
        The working copy (Utf8 columns + ``_source_line``).
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
    cols: dict[str, pl.Series] = {}
    n = working.height
    if "_source_line" in working.columns:
        cols["_source_line"] = working["_source_line"].cast(pl.UInt64)
    else:
        cols["_source_line"] = pl.Series(range(1, n + 1), dtype=pl.UInt64)

    mojibake = pl.Series([False] * n)
    for role in ("usage_name", "birth_name", "first_name"):
        cleaned = clean_names(_first(working, by_role.get(role, [])))
        cols[role] = cleaned["name"]
        mojibake = mojibake | cleaned["name_mojibake"].fill_null(False)
    cols["name_mojibake"] = mojibake

    cols["civility"] = parse_civility(_first(working, by_role.get("civility", [])))["civility"]
    cols["sex"] = parse_sex(_first(working, by_role.get("sex", [])))["sex"]
    birth = validate_date(
        _first(working, by_role.get("birth_date", [])), min_date=BIRTH_MIN, max_date=None
    )
    cols["birth_date"] = birth["date"]
    cols["birth_date_status"] = birth["date_status"]

    cols["address"] = _joined(working, by_role.get("address", []))
    city = _first(working, by_role.get("city", []))
    cols["city"] = city
    place = validate_postcode(_first(working, by_role.get("postcode", [])), city, reference)
    for name in (
        "postcode",
        "postcode_status",
        "residence_dep",
        "residence_region",
        "commune_insee",
    ):
        cols[name] = place[name]

    for role in ("landline", "mobile"):
        phone = validate_phone(_first(working, by_role.get(role, [])))
        cols[role] = phone["phone"]
        cols[f"{role}_status"] = phone["phone_status"]

    mail = validate_email(_first(working, by_role.get("email", [])))
    for name in ("email", "email_status", "email_domain"):
        cols[name] = mail[name]

    nir = validate_nir(_nir_input(working, by_role.get("nir", [])))
    for name in nir.columns:
        cols[name] = nir[name]

    abo = parse_abo(_first(working, by_role.get("blood_group", [])))
    rh = parse_rhesus(_first(working, by_role.get("rhesus", [])))["rhesus"]
    cols["blood_group"] = pl.DataFrame({"a": abo["abo"], "r": abo["abo_rhesus"], "h": rh}).select(
        blood_group(pl.col("a"), pl.coalesce("h", "r")).alias("v")
    )["v"]

    cols["lab_code"] = _first(working, by_role.get("lab_code", []))
    cols["lab_name"] = _first(working, by_role.get("lab_name", []))
    sample = validate_date(_first(working, by_role.get("sample_date", [])), min_date=SAMPLE_MIN)
    cols["sample_date"] = sample["date"]
    cols["last_visit_date"] = validate_date(
        _first(working, by_role.get("last_visit_date", [])), min_date=SAMPLE_MIN
    )["date"]
    cols["sample_date_status"] = sample["date_status"]

    cols["doctor_name"] = _first(working, _doctor_order(roles, "doctor_name"))
    doctor_pc = validate_postcode(
        _first(working, _doctor_order(roles, "doctor_postcode")), None, reference
    )
    cols["doctor_postcode"] = doctor_pc["postcode"]
    cols["doctor_dep"] = doctor_pc["residence_dep"]

    cols["mutuelle"] = _first(working, by_role.get("mutuelle", []))
    cols["login"] = _first(working, by_role.get("login", []), strip=False)
    cols["password"] = _first(working, by_role.get("password", []), strip=False)
    cols["dossier"] = _first(working, by_role.get("dossier", []))
    cols["comment"] = _joined(working, by_role.get("comment", []))
    cols["exam_list"] = _first(working, by_role.get("exam_list", []))

    return pl.DataFrame(
        [cols[name].cast(dtype).rename(name) for name, dtype in VIEW_SCHEMA.items()]
    )
