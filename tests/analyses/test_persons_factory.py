"""A view-shaped frame with known persons, duplicates, typos and mojibake (for linkage tests)."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

_SYL = ["MAR", "TIN", "BER", "NARD", "DU", "PONT", "LE", "GOFF", "RO", "BERT", "PE", "TIT"]
_SYL += ["RI", "CHARD", "MO", "REAU", "LAU", "RENT", "FO", "URNIER", "GUEN", "NEC", "KER"]
_FIRST_F = ["Marie", "Anne", "Élodie", "Hélène", "Chloé", "Léa", "Inès", "Nathalie", "Sophie"]
_FIRST_F += ["Françoise", "Céline", "Aurélie", "Manon", "Camille", "Jeanne", "Gaëlle"]
_FIRST_M = ["Jean", "Pierre", "Loïc", "Yann", "Thomas", "Nicolas", "Hervé", "Jérôme", "Luc"]
_FIRST_M += ["François", "Gaël", "Erwan", "Mathéo", "Benoît", "Frédéric", "Noël"]
_POSTCODES = ["56000", "56100", "56270", "45000", "45100", "27000", "22000", "35000", "41000"]
_LABS = ["L56-01", "L56-03", "L45-02", "L27-01", "L22-01", "L35-04"]
_PLACE = {"2A": "corsica", "99": "abroad", "971": "overseas"}
_PASSWORDS = ["123456", "azerty", "soleil", "Bretagne56", "x7#Lm9!qPz2w", "motdepasse1"]


def nir_for(sex: str, birth: dt.date, dep: str, rng: random.Random) -> str:
    """A NIR with a correct key."""
    body = f"{1 if sex == 'M' else 2}{birth.year % 100:02d}{birth.month:02d}{dep}"
    body += f"{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    num = int(body.replace("2A", "19").replace("2B", "18"))
    return body + f"{97 - num % 97:02d}"


def _mojibake(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _age(birth: dt.date, at: dt.date) -> int:
    return at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))


_COMMENTS = [None, None, None, "RAS", "patiente enceinte, grossesse 12 SA", "VIH positif"]
_COMMENTS += ["pas de diabète", "ATCD familial de cancer du sein", "sous Levothyrox"]


def full_view(view: pl.DataFrame, seed: int = 3) -> pl.DataFrame:
    """The factory view completed to the full normalized-view schema (contracts §5).

    Adds comments (some with health mentions), blood groups and a street address; every other
    missing column is null.
    """
    from dumpscope.roles.normalize import VIEW_SCHEMA

    rng = random.Random(seed)
    n = view.height
    extra = pl.DataFrame(
        {
            "comment": [rng.choice(_COMMENTS) for _ in range(n)],
            "blood_group": [rng.choice([None, "A+", "O+", "B-"]) for _ in range(n)],
            "address": [f"{rng.randint(1, 99)} rue des Lilas" for _ in range(n)],
        }
    )
    out = pl.concat([view, extra], how="horizontal")
    return out.select(
        pl.col(c).cast(t) if c in out.columns else pl.lit(None, dtype=t).alias(c)
        for c, t in VIEW_SCHEMA.items()
    )


def make_view(
    n_persons: int = 2000, rows_per_person: float = 1.3, seed: int = 7
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return ``(view, truth)``; truth has ``_source_line``, ``true_person`` and person facts.

    About 4 % of rows lose their NIR (missing or wrong key), 3 % get a typo in a name,
    2 % keep mojibake, 2 % lose the birth date; married women appear under their usage name
    with the birth name in ``birth_name``; a few twins share birth date, name and address.
    """
    rng = random.Random(seed)
    persons = []
    while len(persons) < n_persons:
        sex = rng.choice("FM")
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 33000))
        sample = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 2100))
        birth = min(birth, sample - dt.timedelta(days=1))
        last = "".join(rng.choice(_SYL) for _ in range(rng.choice([2, 2, 3])))
        first = rng.choice(_FIRST_F if sex == "F" else _FIRST_M)
        usage = last
        if sex == "F" and rng.random() < 0.3:
            usage = "".join(rng.choice(_SYL) for _ in range(2))
        dep = rng.choice(["56", "45", "27", "22", "35", "2A", "99", "971"])
        nir = nir_for(sex, birth, dep if dep != "971" else "97", rng)
        persons.append(
            {
                "p": len(persons),
                "sex": sex,
                "birth": birth,
                "last": last,
                "usage": usage,
                "first": first,
                "nir": nir,
                "pc": rng.choice(_POSTCODES),
                "lab": rng.choice(_LABS),
                "dep": dep,
                "sample": sample,
                "login": rng.random() < 0.1,
            }
        )
        if rng.random() < 0.01:  # a twin: same birth date, surname, address; own NIR
            twin_sex = rng.choice("FM")
            twin = dict(persons[-1])
            twin.update(
                p=len(persons),
                sex=twin_sex,
                first=rng.choice(_FIRST_F if twin_sex == "F" else _FIRST_M),
                nir=nir_for(twin_sex, birth, "56", rng),
                usage=last,
            )
            if twin["first"] != first:
                persons.append(twin)
    rows = []
    line = 2
    for person in persons:
        n_rows = 1 + (rng.random() < rows_per_person - 1) + (rng.random() < 0.05)
        for _ in range(n_rows):
            usage, last, first = person["usage"], person["last"], person["first"]
            nir, status = person["nir"], "valid"
            birth: dt.date | None = person["birth"]
            r = rng.random()
            if r < 0.02:
                nir, status = None, "missing"
            elif r < 0.04:
                nir = nir[:-2] + f"{(int(nir[-2:]) % 97) + 1:02d}"
                status = "invalid_key"
            mojibake = False
            if rng.random() < 0.03:
                usage = _typo(usage, rng)
            if rng.random() < 0.02:
                first, mojibake = _mojibake(first), True
            if rng.random() < 0.02:
                birth = None
            password = None
            if person["login"]:
                password = rng.choice(
                    _PASSWORDS + [first.lower() + "56", f"{person['birth']:%d%m%Y}"]
                )
            rows.append(
                {
                    "_source_line": line,
                    "civility": "Mme" if person["sex"] == "F" else "M.",
                    "usage_name": usage,
                    "birth_name": last if last != usage else None,
                    "first_name": first,
                    "name_mojibake": mojibake,
                    "sex": person["sex"] if rng.random() > 0.03 else None,
                    "birth_date": birth,
                    "birth_date_status": "valid" if birth else "missing",
                    "postcode": person["pc"],
                    "nir": nir,
                    "nir_status": status,
                    "nir_sex": person["sex"] if nir else None,
                    "nir_birth_place": _PLACE.get(person["dep"], "metropole") if nir else None,
                    "lab_code": person["lab"],
                    "sample_date": person["sample"],
                    "login": f"user{person['p']}" if person["login"] else None,
                    "password": password,
                    "true_person": person["p"],
                    "true_sex": person["sex"],
                    "true_place": _PLACE.get(person["dep"], "metropole"),
                    "true_age": _age(person["birth"], person["sample"]),
                }
            )
            line += 1
    rng.shuffle(rows)
    frame = pl.DataFrame(rows).with_columns(pl.col("_source_line").cast(pl.UInt64))
    truth = frame.select("_source_line", pl.selectors.starts_with("true_"))
    return frame.drop(pl.selectors.starts_with("true_")), truth


def test_factory_shapes():
    view, truth = make_view(300, seed=1)
    assert view.height == truth.height
    assert view["_source_line"].n_unique() == view.height
    assert truth["true_person"].n_unique() >= 300
    assert set(view["nir_status"].unique()) <= {"valid", "missing", "invalid_key"}


def test_factory_nir_keys_valid():
    from stdnum.fr import nir

    view, _ = make_view(200, seed=2)
    valid = view.filter(pl.col("nir_status") == "valid")["nir"].to_list()
    assert valid and all(nir.is_valid(v) for v in valid)
    invalid = view.filter(pl.col("nir_status") == "invalid_key")["nir"].to_list()
    assert all(not nir.is_valid(v) for v in invalid)
