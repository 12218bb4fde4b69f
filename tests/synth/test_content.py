"""Content of the generated dump checked against its truth with independent validators."""

from __future__ import annotations

import datetime as dt
import re

import ftfy
import phonenumbers
import polars as pl
import pytest
from email_validator import EmailNotValidError, validate_email
from stdnum.fr import nir as stdnir

from dumpscope.paths import REFERENCE_DIR
from dumpscope.synth.credentials import strength_of


def nir_status(raw: str) -> str:
    v = raw.replace(" ", "").replace(".", "").upper() if "E+" not in raw.upper() else raw
    if raw == "":
        return "missing"
    if stdnir.is_valid(v):
        return "valid"
    if re.fullmatch(r"\d{5}(\d\d|2A|2B)\d{8}", v):
        return "invalid_key"
    if re.fullmatch(r"\d{5}(\d\d|2A|2B)\d{6}", v):
        return "key_missing"
    return "malformed"


def test_nir_statuses_by_stdnum(table, truth_file):
    counts = {}
    for r in table:
        s = nir_status(r["NUM_SS"])
        counts[s] = counts.get(s, 0) + 1
    assert counts == {k: v for k, v in truth_file["nir"].items() if v}
    assert truth_file["nir"]["valid"] / len(table) > 0.97
    for k in ("invalid_key", "key_missing", "malformed", "missing"):
        assert truth_file["nir"][k] > 0


def test_nir_structure(table):
    ok = [r for r in table if nir_status(r["NUM_SS"]) == "valid"]
    corsica = overseas = abroad = fict = 0
    for r in ok:
        n = r["NUM_SS"].replace(" ", "")
        assert n[0] in "12"
        if _date_status(r["DATE_NAISSANCE"]) == "valid":
            d, m, y = r["DATE_NAISSANCE"].split("/")
            assert n[1:3] == y[2:]
            if n[3:5] != m:
                fict += 1
                assert 20 <= int(n[3:5]) <= 30 or 50 <= int(n[3:5]) <= 99
        corsica += n[5:7] in ("2A", "2B")
        overseas += n[5:7] == "97"
        abroad += n[5:7] == "99"
    assert corsica and overseas and abroad and fict


def test_sex_consistency(table, truth_file):
    inconsistent = sum(
        1
        for r in table
        if nir_status(r["NUM_SS"]) == "valid"
        and r["SEXE"] in ("F", "M")
        and {"1": "M", "2": "F"}[r["NUM_SS"][0]] != r["SEXE"]
    )
    assert inconsistent == truth_file["sex"]["inconsistent_with_nir"] > 0
    assert sum(r["SEXE"] == "F" for r in table) == truth_file["sex"]["declared_F"]
    assert sum(r["SEXE"] == "" for r in table) == truth_file["sex"]["declared_missing"]


def _date_status(v: str) -> str:
    if v == "":
        return "missing"
    try:
        dt.datetime.strptime(v, "%d/%m/%Y")
    except ValueError:
        return "invalid"
    return "valid" if re.fullmatch(r"\d\d/\d\d/\d{4}", v) else "invalid"


def test_dates(table, truth_file):
    for col, key in (("DATE_NAISSANCE", "birth_date"), ("DATE_PRELEVEMENT", None)):
        counts = {"valid": 0, "invalid": 0, "missing": 0}
        for r in table:
            counts[_date_status(r[col])] += 1
        if key:
            assert counts == truth_file[key]
        else:
            sd = truth_file["sample_dates"]
            assert (counts["invalid"], counts["missing"]) == (sd["invalid"], sd["missing"])
    days = [
        dt.datetime.strptime(r["DATE_PRELEVEMENT"], "%d/%m/%Y").date()
        for r in table
        if _date_status(r["DATE_PRELEVEMENT"]) == "valid"
    ]
    assert min(days).isoformat() == truth_file["sample_dates"]["min"] >= "2015-01-01"
    assert max(days).isoformat() == truth_file["sample_dates"]["max"] <= "2020-10-31"
    assert max(days) - min(days) > dt.timedelta(days=5 * 365)


@pytest.fixture(scope="module")
def postcodes():
    c = pl.read_csv(REFERENCE_DIR / "communes.csv", infer_schema=False)
    return set(c["codes_postaux"].drop_nulls().str.split("|").explode().to_list())


def test_postcodes(table, truth_file, postcodes):
    counts = {"valid": 0, "invalid": 0, "missing": 0}
    for r in table:
        v = r["CODE_POSTAL"].strip()
        counts["missing" if not v else "valid" if v in postcodes else "invalid"] += 1
    assert counts == truth_file["postcode"]
    assert counts["invalid"] > 0


def _phone_status(v: str) -> str:
    if not v:
        return "missing"
    try:
        return "valid" if phonenumbers.is_valid_number(phonenumbers.parse(v, "FR")) else "invalid"
    except phonenumbers.NumberParseException:
        return "invalid"


def test_phones(table, truth_file):
    land = {"valid": 0, "invalid": 0, "missing": 0}
    mob = dict(land)
    for r in table:
        land[_phone_status(r["TEL_DOMICILE"] or r["TEL_TRAVAIL"])] += 1
        mob[_phone_status(r["TEL_PORTABLE"])] += 1
    assert land == truth_file["contact"]["landline"]
    assert mob == truth_file["contact"]["mobile"]
    formats = {re.sub(r"\d", "9", r["TEL_PORTABLE"]) for r in table if r["TEL_PORTABLE"]}
    assert {"9999999999", "99 99 99 99 99", "99.99.99.99.99", "+99 9 99 99 99 99"} <= formats
    filled = (land["valid"] + land["invalid"]) / len(table)
    assert 0.45 < filled < 0.65  # case-facts §1.3: 55 %
    assert 0.25 < (mob["valid"] + mob["invalid"]) / len(table) < 0.40  # 32 %


def test_landline_prefix_matches_departement(table):
    pref = {"56": "0297", "45": "0238", "27": "0232", "22": "0296", "41": "0254"}
    checked = 0
    for r in table:
        pc, tel = r["CODE_POSTAL"].strip(), re.sub(r"\D", "", r["TEL_DOMICILE"])
        if pc[:2] in pref and len(tel) == 10 and tel.startswith("0") and r["VILLE"] not in ("",):
            checked += 1
            assert tel.startswith(pref[pc[:2]]), (pc, tel)
    assert checked > 1000


def test_emails(table, truth_file):
    counts = {"valid": 0, "invalid": 0, "missing": 0}
    for r in table:
        v = r["EMAIL"]
        if not v:
            counts["missing"] += 1
            continue
        try:
            validate_email(v, check_deliverability=False)
            counts["valid"] += 1
        except EmailNotValidError:
            counts["invalid"] += 1
    assert counts == truth_file["contact"]["email"]
    rate = (counts["valid"] + counts["invalid"]) / len(table)
    assert 0.08 < rate < 0.14  # case-facts §1.3: 11.3 %


def test_civility(table, truth_file):
    counts = {}
    for r in table:
        counts[r["CIVILITE"] or "missing"] = counts.get(r["CIVILITE"] or "missing", 0) + 1
    assert {k: v for k, v in truth_file["civility"].items() if v} == counts
    n = len(table)
    assert abs(counts["Mme"] / n - 0.547) < 0.025
    assert abs(counts["M."] / n - 0.398) < 0.025
    assert abs(counts["Enfant"] / n - 0.027) < 0.01


def test_prescriber_shares(table, truth_file):
    counts = {}
    for r in table:
        if r["CP_PRESCRIPTEUR"]:
            d = r["CP_PRESCRIPTEUR"][:2]
            counts[d] = counts.get(d, 0) + 1
    # doctors' postcodes are chosen so that the first two digits name the département
    truth = truth_file["prescriber_departements"]
    assert {d: c for d, c in counts.items() if d != "20"} == {
        d: c for d, c in truth.items() if d not in ("2A", "2B")
    }
    total = sum(counts.values())
    share = {d: counts.get(d, 0) / total for d in ("56", "45", "27", "22", "35", "41")}
    assert 0.32 < share["56"] < 0.40
    assert 0.19 < share["45"] < 0.25
    assert 0.18 < share["27"] < 0.24
    assert 0.04 < share["22"] < 0.08 and 0.04 < share["35"] < 0.08
    assert 0.025 < share["41"] < 0.05
    assert 0.90 < sum(share.values()) < 0.97


def test_labs(table, truth_file):
    labs = truth_file["labs"]
    assert 27 <= len(labs) <= 28
    assert {v["dep"] for v in labs.values()} == {"56", "45", "27", "22", "35", "41"}
    assert any(len(v["names"]) > 1 for v in labs.values())
    for code, v in labs.items():
        assert re.fullmatch(r"L(56|45|27|22|35|41)-\d\d", code)
        assert "2015-01-01" <= v["first_sample"] <= v["last_sample"] <= "2020-10-31"
        rows = [r for r in table if r["CODE_LABO"] == code]
        assert len(rows) == v["rows"]
        assert sorted({r["NOM_LABO"] for r in rows}) == sorted(v["names"])


def test_blood_groups(table, truth_file):
    counts = {}
    for r in table:
        if r["GROUPE_SANGUIN"]:
            g = r["GROUPE_SANGUIN"].replace("0", "O") + (
                "+" if r["RHESUS"] in ("+", "POS", "RH+") else "-"
            )
        else:
            g = "missing"
        counts[g] = counts.get(g, 0) + 1
    assert counts == {k: v for k, v in truth_file["blood_groups"].items() if v}
    filled = len(table) - counts["missing"]
    assert abs(counts["A+"] / filled - 0.38) < 0.06 and abs(counts["O+"] / filled - 0.36) < 0.06


def test_mojibake(table, truth_file):
    rows = sum(
        any(r[c] and ftfy.fix_text(r[c]) != r[c] for c in ("NOM_USAGE", "NOM_NAISSANCE", "PRENOM"))
        for r in table
    )
    assert rows == truth_file["mojibake"]["rows"] > 0


def test_credentials(table, truth_file):
    pw = [r["MDP_WEB"] for r in table if r["MDP_WEB"]]
    c = truth_file["credentials"]
    assert len(pw) == c["rows_with_password"]
    assert sum(1 for r in table if r["LOGIN_WEB"]) == c["rows_with_login"]
    assert 0.02 < len(pw) / len(table) < 0.045
    strengths = {}
    for p in pw:
        strengths[strength_of(p)] = strengths.get(strength_of(p), 0) + 1
    assert strengths == {k: v for k, v in c["strength"].items() if v}
    assert 0 < c["derived_from_personal_data"] < len(pw)


def test_persons_and_geography(truth_file):
    p = truth_file["persons"]
    assert p["female"] + p["male"] == p["distinct"]
    assert 0.54 < p["female"] / p["distinct"] < 0.62
    assert (
        p["minors"] > 0
        and p["born_abroad"] > 0
        and p["born_overseas"] > 0
        and p["born_corsica"] > 0
    )
    deps = truth_file["departements"]
    assert sum(v["rows"] for v in deps.values()) == truth_file["records"]["loaded"]
    six = sum(deps.get(d, {"rows": 0})["rows"] for d in ("56", "45", "27", "22", "35", "41"))
    assert 0.80 < six / truth_file["records"]["loaded"] < 0.95
    regs = truth_file["regions"]
    assert sum(v["persons"] for v in regs.values()) == p["distinct"]
    assert {"53", "24", "28"} <= set(regs)


def test_sensitive_truth_shape(truth_file):
    cats = {"hiv", "hepatitis", "cancer", "genetic", "pregnancy", "fertility", "diabetes",
            "chronic_other", "psychiatric", "disability", "medication"}  # fmt: skip
    assert set(truth_file["sensitive"]) == cats
    for quals in truth_file["sensitive"].values():
        assert set(quals) == {"positive", "negated", "requested", "family"}
        for v in quals.values():
            assert v["persons"] <= v["rows"]
    assert (
        truth_file["sensitive"]["hiv"]["positive"]["rows"]
        >= (truth_file["medication_classes"]["antiretroviral"]["rows"])
    )
    assert (
        0.0005
        < truth_file["sensitive"]["hiv"]["positive"]["persons"] / truth_file["persons"]["distinct"]
        < 0.005
    )


def test_comment_phrasing_varied(table):
    texts = [r["COMMENTAIRE_1"] for r in table if r["COMMENTAIRE_1"]] + [
        r["COMMENTAIRE_2"] for r in table if r["COMMENTAIRE_2"]
    ]
    assert 0.2 < len([r for r in table if r["COMMENTAIRE_1"]]) / len(table) < 0.5
    assert len(set(texts)) > 0.3 * len(texts)
    joined = "\n".join(texts)
    for needle in ("VIH", "grossesse", "sourd", "jeun", "Levothyrox"):
        assert needle.lower() in joined.lower(), needle


def test_minors_bounded_by_the_file(table, truth_file):
    seen, sure, unknown = set(), 0, 0
    for r in table:
        pid = r["ID_PATIENT_INTERNE"]
        if pid in seen:
            continue
        seen.add(pid)
        b, s = r["DATE_NAISSANCE"], r["DATE_PRELEVEMENT"]
        if _date_status(b) != "valid" or _date_status(s) != "valid":
            unknown += 1
            continue
        bd = dt.datetime.strptime(b, "%d/%m/%Y").date()
        sd = dt.datetime.strptime(s, "%d/%m/%Y").date()
        sure += (sd.year - bd.year - ((sd.month, sd.day) < (bd.month, bd.day))) < 18
    assert len(seen) == truth_file["persons"]["distinct"]
    assert sure <= truth_file["persons"]["minors"] <= sure + unknown
    assert sure > 0


def test_sensitive_persons_from_labels(dump, truth_file):
    path, _ = dump
    labels = pl.read_csv(str(path) + ".labels.csv", infer_schema=False)
    for cat, quals in truth_file["sensitive"].items():
        for q, c in quals.items():
            assert labels.filter(pl.col(cat) == q)["person_id"].n_unique() == c["persons"]
    for cls, c in truth_file["medication_classes"].items():
        sub = labels.filter(pl.col("medication_class") == cls)
        assert (sub.height, sub["person_id"].n_unique()) == (c["rows"], c["persons"])
