"""Small synthetic patient frames in several export layouts (built here, independent of synth)."""

from __future__ import annotations

import random

import polars as pl

SURNAMES = [
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "LE GALL",
    "LE BRIS",
    "GUILLOU",
    "TANGUY",
]
FIRST_F = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Anne",
    "Julie",
    "Camille",
    "Léa",
    "Chloé",
    "Monique",
    "Françoise",
    "Sophie",
    "Céline",
]
FIRST_M = [
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Nicolas",
    "Thomas",
    "Lucas",
    "Hugo",
    "Louis",
    "Bernard",
    "Jacques",
    "Yannick",
    "Erwan",
]
PLACES = [
    ("56000", "VANNES", "56"),
    ("56100", "LORIENT", "56"),
    ("35000", "RENNES", "35"),
    ("45000", "ORLEANS", "45"),
    ("27000", "EVREUX", "27"),
    ("22000", "SAINT-BRIEUC", "22"),
    ("41000", "BLOIS", "41"),
    ("56610", "ARRADON", "56"),
]
STREETS = [
    "RUE DE LA PAIX",
    "AVENUE DU GENERAL DE GAULLE",
    "CHEMIN DES VIGNES",
    "ALLEE DES CHENES",
    "BOULEVARD DE LA MER",
    "IMPASSE DU MOULIN",
    "PLACE DE L'EGLISE",
]


def nir_key(body: str) -> str:
    n = int(body.replace("2A", "19").replace("2B", "18"))
    return f"{97 - n % 97:02d}"


def make_people(n: int = 300, seed: int = 7) -> list[dict]:
    """Plain records (true values), one per person."""
    rnd = random.Random(seed)
    people = []
    for i in range(n):
        sex = rnd.choice("FM")
        year = rnd.randint(1935, 2015)
        month, day = rnd.randint(1, 12), rnd.randint(1, 28)
        pc, city, dep = rnd.choice(PLACES)
        body = f"{1 if sex == 'M' else 2}{year % 100:02d}{month:02d}{dep}{rnd.randint(1, 999):03d}"
        body += f"{rnd.randint(1, 999):03d}"
        area = {"56": "97", "35": "99", "45": "38", "27": "32", "22": "96", "41": "54"}[dep]
        fixed = f"02{area}{rnd.randint(0, 999999):06d}"
        mobile = f"06{rnd.choice('0124578')}{rnd.randint(0, 9999999):07d}"
        if rnd.random() < 0.3:
            mobile = f"07{rnd.randint(3, 9)}{rnd.randint(0, 9999999):07d}"
        first = rnd.choice(FIRST_F if sex == "F" else FIRST_M)
        last = rnd.choice(SURNAMES)
        people.append(
            {
                "dossier": f"{100000 + i}",
                "last": last,
                "first": first,
                "sex": sex,
                "civ": ("Mme" if sex == "F" else "M.") if year < 2005 else "Enfant",
                "birth": f"{day:02d}/{month:02d}/{year}",
                "birth_iso": f"{year}-{month:02d}-{day:02d}",
                "nir13": body,
                "key": nir_key(body),
                "address": f"{rnd.randint(1, 120)} {rnd.choice(STREETS)}",
                "pc": pc,
                "city": city,
                "fixed": " ".join(fixed[j : j + 2] for j in range(0, 10, 2)),
                "mobile": mobile,
                "email": f"{first.lower()[:3]}.{last.lower().replace(' ', '')}{i}@orange.fr",
                "abo": rnd.choice(["A", "O", "B", "AB", "0"]),
                "rh": rnd.choice(["+", "-", "POS", "NEG"]),
                "sample": f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/"
                f"{rnd.randint(2015, 2020)}",
                "lab": rnd.choice(["L56-03", "L35-01", "L45-02"]),
                "comment": rnd.choice(
                    [
                        "Patiente enceinte, contrôle bêta HCG demandé",
                        "Traitement par Levothyrox, bilan thyroïdien",
                        "Diabète de type 2 sous metformine, contrôle HbA1c",
                        "Pas d'antécédent particulier, bilan de routine annuel",
                    ]
                ),
            }
        )
    return people


def _frame(rows: list[dict], spec: list[tuple[str, object]]) -> tuple[pl.DataFrame, list[dict]]:
    data = {}
    for header, getter in spec:
        data[header] = [getter(r) if callable(getter) else r[getter] for r in rows]
    names = [f"c{i}" for i in range(len(spec))]
    frame = pl.DataFrame(
        {nm: pl.Series(v, dtype=pl.Utf8) for nm, v in zip(names, data.values(), strict=True)}
    )
    frame = frame.with_columns(_source_line=pl.int_range(2, frame.height + 2, dtype=pl.UInt64))
    columns = [
        {"index": i, "original": h, "name": nm}
        for i, ((h, _), nm) in enumerate(zip(spec, names, strict=True))
    ]
    return frame, columns


def english_layout(n: int = 300):
    """English headers: LastName, FirstName, DOB (ISO), SSN, Zip, Phone1, Phone2..."""
    spec = [
        ("PatientID", "dossier"),
        ("LastName", "last"),
        ("FirstName", "first"),
        ("Gender", "sex"),
        ("DOB", "birth_iso"),
        ("SSN", lambda r: r["nir13"] + r["key"]),
        ("Street", "address"),
        ("Zip", "pc"),
        ("City", "city"),
        ("Phone1", "fixed"),
        ("Phone2", lambda r: "+33 " + r["mobile"][1:]),
        ("Email", "email"),
        ("BloodType", lambda r: r["abo"] + ("+" if r["rh"] in "+POS" else "-")),
        ("Notes", "comment"),
    ]
    roles = [
        "dossier",
        "usage_name",
        "first_name",
        "sex",
        "birth_date",
        "nir",
        "address",
        "postcode",
        "city",
        "landline",
        "mobile",
        "email",
        "blood_group",
        "comment",
    ]
    frame, columns = _frame(make_people(n), spec)
    return frame, columns, roles


def abbreviated_layout(n: int = 300):
    """Abbreviated French headers, other order, split NIR key, merged NOM PRENOM."""
    spec = [
        ("TEL_PORT", "mobile"),
        ("NOM PRENOM", lambda r: f"{r['last']} {r['first']}"),
        ("DATE_NAISS", "birth"),
        ("CP", "pc"),
        ("VILLE", "city"),
        ("NIR", "nir13"),
        ("CLE_NIR", "key"),
        ("GRP_SANG", "abo"),
        ("RH", "rh"),
        ("CIV", "civ"),
        ("DT_PREL", "sample"),
        ("COMMENT", "comment"),
    ]
    roles = [
        "mobile",
        "usage_name",
        "birth_date",
        "postcode",
        "city",
        "nir",
        "nir",
        "blood_group",
        "rhesus",
        "civility",
        "sample_date",
        "comment",
    ]
    frame, columns = _frame(make_people(n), spec)
    return frame, columns, roles


def anonymous_layout(n: int = 300):
    """Headers C1..Cn: content alone must decide."""
    spec = [
        ("C1", lambda r: r["nir13"] + r["key"]),
        ("C2", "first"),
        ("C3", "birth"),
        ("C4", "email"),
        ("C5", "fixed"),
        ("C6", "mobile"),
        ("C7", "pc"),
        ("C8", "abo"),
        ("C9", "rh"),
        ("C10", "civ"),
        ("C11", "sex"),
        ("C12", "sample"),
        ("C13", "address"),
        ("C14", "city"),
        ("C15", lambda r: ""),
    ]
    roles = [
        "nir",
        "first_name",
        "birth_date",
        "email",
        "landline",
        "mobile",
        "postcode",
        "blood_group",
        "rhesus",
        "civility",
        "sex",
        "sample_date",
        "address",
        "city",
        "other",
    ]
    frame, columns = _frame(make_people(n), spec)
    return frame, columns, roles
