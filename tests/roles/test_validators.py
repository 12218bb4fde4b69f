"""Validators: agreement with the reference libraries, and the documented edge cases."""

from __future__ import annotations

import datetime as dt

import email_validator
import phonenumbers
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.fr import nir as stdnum_nir

from dumpscope.roles.validators.blood import blood_group, parse_abo, parse_rhesus
from dumpscope.roles.validators.civility import parse_civility, parse_sex
from dumpscope.roles.validators.dates import validate_date
from dumpscope.roles.validators.email import validate_email
from dumpscope.roles.validators.names import clean_names
from dumpscope.roles.validators.nir import validate_nir
from dumpscope.roles.validators.phone import validate_phone

# --- NIR ---------------------------------------------------------------------------------------


def test_nir_worked_examples():
    out = validate_nir(
        pl.Series(
            [
                "2 55 08 14 168 025 38",  # case-facts §2.1 worked key
                "253072A07300443",
                "253072B07300470",
                "2 55 08 14 168 025 39",  # wrong key
                "2550814168025",  # 13 characters
                "2.85056E+14",  # spreadsheet float
                "2-55-08-14-168-025-38",  # hyphens: stdnum keeps them -> malformed
                "25508141680",  # truncated
                "",
                None,
            ]
        )
    )
    assert out["nir_status"].to_list() == [
        "valid", "valid", "valid", "invalid_key", "key_missing",
        "malformed", "malformed", "malformed", "missing", "missing",
    ]  # fmt: skip
    assert out["nir"][0] == "255081416802538"
    assert out["nir_sex"].to_list()[:5] == ["F"] * 5
    assert out["nir_birth_dep"].to_list()[:3] == ["14", "2A", "2B"]
    assert out["nir_birth_place"].to_list()[:3] == ["metropole", "corsica", "corsica"]
    assert out["nir_birth_month"].to_list()[:2] == [8, 7]
    assert out["nir_sex"][5] is None and out["nir_birth_yy"][5] is None


def test_nir_decoding_places_and_months():
    def with_key(body: str) -> str:
        n = int(body.replace("2A", "19").replace("2B", "18"))
        return body + f"{97 - n % 97:02d}"

    bodies = [
        "1850597123456",  # overseas 971
        "2907599135123",  # abroad, country 135
        "1550391123456",  # 91 in 1955: Algeria
        "1050391123456",  # 91 in 2005: Essonne
        "2605096123456",  # 96 Tunisia, fictitious month 50
        "2853556123456",  # pseudo-fictitious month 35 -> 5
        "7853556123456",  # provisional NIA, male
        "9853556123456",  # sex 9: not decoded
    ]
    out = validate_nir(pl.Series([with_key(b) for b in bodies]))
    assert out["nir_status"].unique().to_list() == ["valid"]
    assert out["nir_birth_dep"].to_list()[:5] == ["971", "99", "91", "91", "96"]
    assert out["nir_birth_place"].to_list()[:5] == [
        "overseas", "abroad", "former_colony", "metropole", "former_colony",
    ]  # fmt: skip
    assert out["nir_birth_month"].to_list()[4:6] == [None, 5]
    assert out["nir_sex"].to_list()[5:] == ["F", "M", None]
    assert out.schema["nir_birth_yy"] == pl.Int16 and out.schema["nir_birth_month"] == pl.Int8


_NIR_CHARS = st.sampled_from(list("0123456789") * 3 + ["2A", "2B", " ", ".", "A", "-"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="0123456789", min_size=13, max_size=13), min_size=1, max_size=30),
    st.lists(_NIR_CHARS, min_size=10, max_size=18),
)
def test_nir_status_agrees_with_stdnum(bodies, noise):
    values = []
    for b in bodies:
        n = int(b)
        values += [b + f"{97 - n % 97:02d}", b + f"{(n % 90):02d}", b[:5] + "2A" + b[7:] + "12"]
    values.append("".join(noise))
    out = validate_nir(pl.Series(values))
    for value, status in zip(values, out["nir_status"].to_list(), strict=True):
        if status in ("missing", "key_missing"):
            continue
        assert (status == "valid") == stdnum_nir.is_valid(value), value


# --- phones ------------------------------------------------------------------------------------


def test_phone_formats():
    out = validate_phone(
        pl.Series(
            [
                "0297123456", "02 97 12 34 56", "02.97.12.34.56", "02-97-12-34-56",
                "+33 2 97 12 34 56", "+33297123456", "+33 (0)6 12 34 56 78", "0033612345678",
                "029712345", "02971234567", "0639981234", "+262 262 12 34 56", "abc", "", None,
            ]
        )
    )  # fmt: skip
    assert out["phone_status"].to_list() == ["valid"] * 8 + ["invalid"] * 3 + [
        "valid", "invalid", "missing", "missing",
    ]  # fmt: skip
    assert out["phone"].to_list()[:6] == ["+33297123456"] * 6
    assert out["phone_type"].to_list()[6:8] == ["mobile", "mobile"]
    assert out["phone_area_dep"][0] == "56"
    assert out["phone"][11] == "+262262123456"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="0123456789", min_size=9, max_size=10), min_size=1, max_size=40),
    st.lists(st.text(alphabet="0123456789 +.", min_size=1, max_size=16), max_size=20),
)
def test_phone_validity_agrees_with_phonenumbers(numbers, others):
    values = [("0" + x[1:]) if len(x) == 10 else x for x in numbers] + others
    values += ["33612345678", "0033297123456", "00 33 6 12 34 56 78", "+33 6 12 34 56 78"]
    values = [v for v in values if v.strip()]
    out = validate_phone(pl.Series(values))
    for value, status, e164 in zip(
        values, out["phone_status"].to_list(), out["phone"].to_list(), strict=True
    ):
        try:
            parsed = phonenumbers.parse(value, "FR")
        except phonenumbers.NumberParseException:
            assert status == "invalid", value
            continue
        expected = phonenumbers.is_valid_number(parsed)
        assert (status == "valid") == expected, value
        if expected:
            assert e164 == phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# --- e-mail ------------------------------------------------------------------------------------

EMAILS = [
    "jean.dupont@orange.fr", "A.B@GMAIL.COM", "marie_martin1985@wanadoo.fr", "x@test",
    "a@example.local", "a..b@x.fr", "a@x", "é@x.fr", "a@-x.fr", "jean dupont@x.fr",
    "jean.dupont.orange.fr", "jean@mail@orange.fr", "mm@orange fr", ".a@x.fr", "a.@x.fr",
    "a" * 65 + "@x.fr", "ok+tag@sub.domain.co.uk", "a@123.45",
]  # fmt: skip


def test_email_agrees_with_email_validator():
    out = validate_email(pl.Series(EMAILS + ["", None]))
    statuses = out["email_status"].to_list()
    assert statuses[-2:] == ["missing", "missing"]
    for value, status, norm in zip(EMAILS, statuses, out["email"].to_list(), strict=False):
        try:
            expected = email_validator.validate_email(value, check_deliverability=False).normalized
        except email_validator.EmailNotValidError:
            expected = None
        assert (status == "valid") == (expected is not None), value
        assert norm == expected, value
    assert out["email_domain"][1] == "gmail.com"


# --- dates -------------------------------------------------------------------------------------


def test_dates_formats_and_invalid():
    values = ["12/03/1985", "12-03-1985", "12.03.1985", "1985-03-12", "12/03/85", "12031985",
              "19850312", "12/03/1985 10:22", "1985-03-12T10:22:05", "1/3/1985",
              "31/02/1980", "00/00/0000", "32/01/1990", "hier", "", None]  # fmt: skip
    out = validate_date(pl.Series(values))
    assert out["date"].to_list()[:9] == [dt.date(1985, 3, 12)] * 9
    assert out["date"][9] == dt.date(1985, 3, 1)
    assert out["date_status"].to_list()[10:] == ["invalid"] * 4 + ["missing"] * 2


def test_dates_bounds_and_pivot():
    out = validate_date(pl.Series(["01/01/15", "01/01/30", "01/01/2035"]), pivot=21,
                        max_date=dt.date(2021, 12, 31))  # fmt: skip
    assert out["date"].to_list() == [dt.date(2015, 1, 1), dt.date(1930, 1, 1), None]
    assert out["date_status"][2] == "invalid"


# --- blood, civility, sex, names ---------------------------------------------------------------


def test_blood_group_and_rhesus():
    abo = parse_abo(pl.Series(["A", "0", "O", "AB", "b", "Groupe A", "O+", "AB NEG", "C", ""]))
    assert abo["abo"].to_list() == ["A", "O", "O", "AB", "B", "A", "O", "AB", None, None]
    assert abo["abo_rhesus"].to_list()[6:8] == ["+", "-"]
    rh = parse_rhesus(
        pl.Series(["+", "-", "POS", "NEG", "RH+", "Rh-", "positif", "négatif", "NEGATIF", "?"])
    )
    assert rh["rhesus"].to_list() == ["+", "-", "+", "-", "+", "-", "+", "-", "-", None]
    combined = pl.DataFrame({"a": ["A", "O", None], "r": ["+", None, "-"]}).select(
        blood_group(pl.col("a"), pl.col("r"))
    )
    assert combined.to_series().to_list() == ["A+", None, None]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Mme", "Mme"), ("MADAME", "Mme"), ("Mlle", "Mme"), ("M.", "M."), ("M", "M."),
     ("Monsieur", "M."), ("ENFANT", "Enfant"), ("Bébé", "Bébé"), ("BEBE", "Bébé"),
     ("BÃ©bÃ©", "Bébé"), ("Sœur", "Sœur"), ("SOEUR", "Sœur"), ("Dr", None), ("", None)],
)  # fmt: skip
def test_civility(raw, expected):
    assert parse_civility(pl.Series([raw]))["civility"][0] == expected


def test_sex():
    out = parse_sex(pl.Series(["F", "m", "H", "Femme", "MASCULIN", "X", "", None]))
    assert out["sex"].to_list() == ["F", "M", "M", "F", "M", None, None, None]


def test_names_mojibake_repaired_and_counted():
    out = clean_names(pl.Series(["  DUPONT ", "CÃ‰LINE", "HÃ©lÃ¨ne", "Hélène", "LE  GALL", ""]))
    assert out["name"].to_list() == ["DUPONT", "CÉLINE", "Hélène", "Hélène", "LE GALL", None]
    assert out["name_mojibake"].to_list() == [False, True, True, False, False, False]


def test_mostly_distinct_values_keep_row_order():
    # more than half distinct: the rows are classified directly, order must hold
    values = ["a@x.fr", "b@y.fr", "bad", "c@x.fr", "", "a@x.fr", "d@@z", "e@y.fr"]
    out = validate_email(pl.Series(values))
    assert out["email_status"].to_list() == [
        "valid", "valid", "invalid", "valid", "missing", "valid", "invalid", "valid",
    ]  # fmt: skip
    phones = ["0297123456", "0612345678", "12", "+33 2 38 11 22 33", "0639981234", ""]
    assert validate_phone(pl.Series(phones))["phone"].to_list() == [
        "+33297123456", "+33612345678", None, "+33238112233", None, None,
    ]  # fmt: skip
    names = ["CÃ‰LINE", "MARTIN", "HÃ©lÃ¨ne", " DUPONT "]
    assert clean_names(pl.Series(names))["name"].to_list() == [
        "CÉLINE", "MARTIN", "Hélène", "DUPONT",
    ]  # fmt: skip
