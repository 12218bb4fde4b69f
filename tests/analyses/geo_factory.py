"""View-shaped frames with a known geography, labs and sample dates (for geography/labs/timeline).

The truth is computed from the factory's own state (the person's true commune, the lab's true
names and dates), not with the code under test.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import polars as pl

#: (commune INSEE, postcode, département, region) of a few real communes.
COMMUNES = [
    ("56260", "56000", "56", "53"),  # Vannes
    ("56121", "56100", "56", "53"),  # Lorient
    ("45234", "45000", "45", "24"),  # Orléans
    ("27229", "27000", "27", "28"),  # Évreux
    ("22278", "22000", "22", "53"),  # Saint-Brieuc
    ("35238", "35000", "35", "53"),  # Rennes
    ("41018", "41000", "41", "24"),  # Blois
    ("29232", "29000", "29", "53"),  # Quimper
    ("13055", "13001", "13", "93"),  # Marseille (far away)
    ("97411", "97400", "974", "04"),  # Saint-Denis, La Réunion (overseas)
]
#: lab code -> (names with the date they start being used, home département)
LABS = {
    "L56-01": (
        [("LABO DU PORT", dt.date(2015, 1, 1)), ("OCEALAB VANNES", dt.date(2018, 6, 1))],
        "56",
    ),
    "L56-03": ([("BIOALLIANCE LORIENT", dt.date(2015, 1, 1))], "56"),
    "L45-02": ([("BIOPOLE ORLEANS", dt.date(2015, 1, 1))], "45"),
    "L27-01": ([("CERBALLIANCE EVREUX", dt.date(2016, 3, 1))], "27"),
}
HOME_COMMUNES = {"56": [0, 1, 4, 5, 7], "45": [2, 6], "27": [3]}
START = dt.date(2015, 1, 5)
END = dt.date(2020, 10, 23)
#: each lab's own activity window
WINDOWS = {
    "L56-01": (dt.date(2015, 1, 5), END),
    "L56-03": (dt.date(2015, 2, 2), dt.date(2020, 10, 20)),
    "L45-02": (dt.date(2015, 1, 12), dt.date(2020, 10, 15)),
    "L27-01": (dt.date(2016, 3, 7), dt.date(2019, 12, 20)),
}
GAP_LAB, GAP_MONTH = "L45-02", (2017, 8)  # no sample at all in this month for this lab


def _name_at(code: str, day: dt.date) -> str:
    current = LABS[code][0][0][0]
    for name, since in LABS[code][0]:
        if day >= since:
            current = name
    return current


def make_view(n_persons: int = 1500, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame, dict]:
    """A view, its links and the truth.

    Returns
    -------
    (view, links, truth)
        truth: ``departements {code: {persons, rows}}`` (true residence, rows whose postcode is
        valid), ``regions``, ``labs {code: {rows, persons, first_sample, last_sample, names,
        dep}}``, ``prescriber_departements {code: rows}``, ``sample_dates {min, max, invalid,
        missing}``, ``far_rows``, ``overseas_rows``, ``before_2015``, ``birth_after_sample``.
    """
    rng = random.Random(seed)
    rows = []
    line = 2
    deps_p = defaultdict(set)
    deps_r = defaultdict(int)
    regs_p = defaultdict(set)
    regs_r = defaultdict(int)
    labs = defaultdict(lambda: {"rows": 0, "persons": set(), "dates": [], "names": {}})
    presc = defaultdict(int)
    far_rows = overseas_rows = before = birth_after = invalid = missing = 0
    valid_dates = []
    for pid in range(n_persons):
        lab = rng.choice(list(LABS))
        home = LABS[lab][1]
        u = rng.random()
        if u < 0.02:
            ci = 8  # far away
        elif u < 0.03:
            ci = 9  # overseas
        else:
            ci = rng.choice(HOME_COMMUNES[home])
        insee, pc, dep, reg = COMMUNES[ci]
        birth = dt.date(rng.randint(1930, 2015), rng.randint(1, 12), rng.randint(1, 28))
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            lo, hi = WINDOWS[lab]
            day = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
            if lab == GAP_LAB and (day.year, day.month) == GAP_MONTH:
                day = day.replace(month=9, day=min(day.day, 28))
            status = "valid"
            v = rng.random()
            if v < 0.01:
                status, sample = "missing", None
            elif v < 0.02:
                status, sample = "invalid", None
            elif v < 0.025:
                sample = dt.date(2009, 5, 17)  # out of range (before 2015)
                before += 1
            else:
                sample = day
            # the dump's edges are the lab windows' edges (exact, for the window tests)
            if pid == 0:
                sample, status = START, "valid"
            if pid == 1:
                sample, status = END, "valid"
            b = birth
            if sample is not None and status == "valid" and rng.random() < 0.005:
                b = sample + dt.timedelta(days=30)
                birth_after += 1
            postcode, pstatus, rdep, rreg, rcom = pc, "valid", dep, reg, insee
            w = rng.random()
            if w < 0.02:
                postcode, pstatus, rdep, rreg, rcom = "99999", "invalid", None, None, None
            elif w < 0.03:
                postcode, pstatus, rdep, rreg, rcom = None, "missing", None, None, None
            doctor_dep = home if rng.random() < 0.9 else dep
            doctor_pc = {"56": "56000", "45": "45000", "27": "27000"}.get(doctor_dep, pc)
            if rng.random() < 0.05:
                doctor_pc, doctor_dep = None, None
            name = _name_at(lab, sample or lo)
            rows.append(
                {
                    "_source_line": line,
                    "postcode": postcode,
                    "postcode_status": pstatus,
                    "residence_dep": rdep,
                    "residence_region": rreg,
                    "commune_insee": rcom,
                    "lab_code": lab,
                    "lab_name": name,
                    "sample_date": sample,
                    "sample_date_status": status,
                    "birth_date": b,
                    "doctor_postcode": doctor_pc,
                    "doctor_dep": doctor_dep,
                    "_pid": str(pid),
                }
            )
            line += 1
            if rdep is not None:
                deps_p[rdep].add(pid)
                deps_r[rdep] += 1
                regs_p[rreg].add(pid)
                regs_r[rreg] += 1
                if ci == 8:
                    far_rows += 1
                if ci == 9:
                    overseas_rows += 1
            L = labs[lab]
            L["rows"] += 1
            L["persons"].add(pid)
            if status == "valid" and sample is not None and sample >= dt.date(2015, 1, 1):
                L["dates"].append(sample)
                L["names"].setdefault(name, sample)
                L["names"][name] = min(L["names"][name], sample)
                valid_dates.append(sample)
            if doctor_dep is not None:
                presc[doctor_dep] += 1
            invalid += status == "invalid"
            missing += status == "missing"
    view = pl.DataFrame(
        rows,
        schema={
            "_source_line": pl.UInt64,
            "postcode": pl.Utf8,
            "postcode_status": pl.Utf8,
            "residence_dep": pl.Utf8,
            "residence_region": pl.Utf8,
            "commune_insee": pl.Utf8,
            "lab_code": pl.Utf8,
            "lab_name": pl.Utf8,
            "sample_date": pl.Date,
            "sample_date_status": pl.Utf8,
            "birth_date": pl.Date,
            "doctor_postcode": pl.Utf8,
            "doctor_dep": pl.Utf8,
            "_pid": pl.Utf8,
        },
    )
    links = view.select("_source_line", pl.col("_pid").alias("person_id"))
    view = view.drop("_pid")
    truth = {
        "departements": {d: {"persons": len(deps_p[d]), "rows": deps_r[d]} for d in deps_r},
        "regions": {r: {"persons": len(regs_p[r]), "rows": regs_r[r]} for r in regs_r},
        "labs": {
            code: {
                "rows": L["rows"],
                "persons": len(L["persons"]),
                "first_sample": min(L["dates"]).isoformat(),
                "last_sample": max(L["dates"]).isoformat(),
                "names": [n for n, _ in sorted(L["names"].items(), key=lambda x: x[1])],
                "dep": LABS[code][1],
            }
            for code, L in labs.items()
        },
        "prescriber_departements": dict(presc),
        "sample_dates": {
            "min": min(valid_dates).isoformat(),
            "max": max(valid_dates).isoformat(),
            "invalid": invalid,
            "missing": missing,
        },
        "far_rows": far_rows,
        "overseas_rows": overseas_rows,
        "before_2015": before,
        "birth_after_sample": birth_after,
    }
    return view, links, truth


_PIPELINE_CACHE: dict = {}


def sample_pipeline(dump_path, tmp_root):
    """(view, links, reference) of a synthetic dump through intake, roles, normalize and link.

    Cached per dump path for the test session (the three geo test modules share it).
    """
    key = str(dump_path)
    if key not in _PIPELINE_CACHE:
        from dumpscope.analyses.persons import link
        from dumpscope.intake import run_intake
        from dumpscope.reference import load_reference
        from dumpscope.roles import detect_roles, normalize

        result = run_intake(dump_path, tmp_root)
        working = pl.read_parquet(result.working_path)
        roles = detect_roles(working, result.record["columns"], None)
        reference = load_reference()
        view = normalize(working, roles, reference)
        _PIPELINE_CACHE[key] = (view, link(view), reference)
    return _PIPELINE_CACHE[key]
