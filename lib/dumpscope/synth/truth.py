"""Ground truth (docs/contracts.md §2) and per-row labels, from the generator's own state.

Nothing here re-reads the written file or calls a validator: every figure is counted over the
state arrays of the loaded records (in file order), so a bug in intake or in a validator cannot
hide behind the same bug here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from dumpscope.synth.comments import CATEGORIES, MEDICATION_CLASSES, QUALIFIERS
from dumpscope.synth.credentials import STRENGTHS
from dumpscope.synth.faults import MALFORMED_REASONS
from dumpscope.synth.writer import DELIMITER, ENCODING, LINE_TERMINATOR

CIVILITIES = ("Mme", "M.", "Enfant", "Bébé", "Sœur")
BLOOD_GROUPS = ("A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")


def _day_str(d: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=int(d))).isoformat()


def _status_counts(a: np.ndarray, keys: tuple[str, ...]) -> dict[str, int]:
    return {k: int((a == k).sum()) for k in keys}


def build_truth(parts: dict, layout: dict, *, version: str) -> tuple[dict, pl.DataFrame]:
    """The truth dict and the labels frame.

    Parameters
    ----------
    parts : output of ``generator.generate_frame`` (plan, frame, state, seed, rows_per_person).
    layout : output of ``writer.write_dump`` (record order, line numbers, malformed lines, hashes).

    Returns
    -------
    (truth dict with the keys of contracts §2, labels frame: ``source_line`` (Int64),
    ``person_id`` (str), one column per category (qualifier or null), ``medication_class``)
    """
    st = parts["state"]
    plan = parts["plan"]
    o = layout["order"]
    n = len(o)
    g = {
        k: (v[o] if isinstance(v, np.ndarray) else v)
        for k, v in st.items()
        if k not in ("labels", "hostile")
    }
    pid = g["pid"]
    # persons: first loaded row of each person (file order)
    _, first_idx = np.unique(pid, return_index=True)
    p_sex = g["sex"][first_idx]
    p_age = _full_years(g["birth_day"][first_idx], g["day"][first_idx])
    p_bdep = g["birth_dep"][first_idx].astype(str)
    # physical lines
    malformed: dict[str, list[int]] = {r: [] for r in MALFORMED_REASONS}
    for line, reason in layout["malformed"]:
        malformed[reason].append(int(line))
    loaded_lines = int(layout["line_count"].sum())
    lines = {
        "physical": int(layout["physical"]),
        "header": 1,
        "loaded_records": n,
        "loaded_lines": loaded_lines,
        "quarantined_lines": len(layout["malformed"]),
    }
    assert (
        lines["header"] + lines["loaded_lines"] + lines["quarantined_lines"] == lines["physical"]
    )
    civ = g["civility"]
    sex_decl = g["sex_decl"]
    nir_flip = (sex_decl != None) & (sex_decl != g["sex"])  # noqa: E711
    # by département / region of residence
    deps: dict[str, dict[str, int]] = {}
    frame = pl.DataFrame({"pid": pid, "dep": g["res_dep"], "reg": g["res_reg"]})
    # "<key>" places every row by its true commune; "<key>_located" only the rows whose written
    # postcode is valid: what an analysis of the file can place (rows with an invalid or missing
    # postcode cannot be), so the analysis must equal it exactly.
    located = frame.filter(pl.Series(np.asarray(g["pc_status"]) == "valid"))
    for key, col in (("departements", "dep"), ("regions", "reg")):
        for suffix, source in (("", frame), ("_located", located)):
            agg = (
                source.group_by(col)
                .agg(pl.len().alias("rows"), pl.col("pid").n_unique().alias("persons"))
                .sort(col)
            )
            deps[key + suffix] = {
                r[col]: {"persons": int(r["persons"]), "rows": int(r["rows"])}
                for r in agg.iter_rows(named=True)
            }
    pd_ = np.asarray([d for d in g["presc_dep"].tolist() if d is not None], dtype=str)
    keys, counts = np.unique(pd_, return_counts=True)
    prescriber = {str(k): int(c) for k, c in zip(keys, counts, strict=True)}
    # labs
    sd_valid = g["sd_status"] == "valid"
    lab_frame = pl.DataFrame(
        {
            "code": g["lab_code"],
            "name": g["lab_name"],
            "dep": g["lab_dep"],
            "pid": pid,
            "day": g["day"],
            "v": sd_valid,
        }
    )
    labs = {}
    for code in sorted(set(g["lab_code"].tolist())):
        sub = lab_frame.filter(pl.col("code") == code)
        valid_days = sub.filter(pl.col("v"))["day"]
        names_by_time = sub.sort("day", maintain_order=True).select(
            pl.col("name").unique(maintain_order=True)
        )["name"]
        labs[code] = {
            "rows": sub.height,
            "persons": int(sub["pid"].n_unique()),
            "first_sample": _day_str(valid_days.min()) if len(valid_days) else None,
            "last_sample": _day_str(valid_days.max()) if len(valid_days) else None,
            "names": names_by_time.to_list(),
            "dep": sub["dep"][0],
        }
    vd = g["day"][sd_valid]
    # sensitive
    lab_labels = {c: st["labels"][c][o] for c in CATEGORIES}
    sensitive = {}
    for c in CATEGORIES:
        sensitive[c] = {}
        for q in QUALIFIERS:
            m = lab_labels[c] == q
            sensitive[c][q] = {"rows": int(m.sum()), "persons": int(len(np.unique(pid[m])))}
    med = g["med_class"]
    medication = {}
    for cls in MEDICATION_CLASSES:
        m = med == cls
        medication[cls] = {"rows": int(m.sum()), "persons": int(len(np.unique(pid[m])))}
    # credentials
    pw = g["password"]
    strength = g["pw_strength"]
    creds = {
        "rows_with_login": int(g["login"].sum()),
        "rows_with_password": int(pw.sum()),
        "derived_from_personal_data": int((pw & g["pw_derived"]).sum()),
        "strength": {s: int((pw & (strength == s)).sum()) for s in STRENGTHS},
    }
    # hostile: frame rows -> first lines of their records (duplicates never copy hostile rows)
    pos = {int(r): i for i, r in enumerate(o)}
    hostile = {
        k: sorted(int(layout["start_line"][pos[r]]) for r in rows)
        for k, rows in st["hostile"].items()
    }
    blood = {b: int((g["blood"] == b).sum()) for b in BLOOD_GROUPS}
    blood["missing"] = int((g["blood"] == "missing").sum())
    truth = {
        "generator": {
            "version": version,
            "seed": int(parts["seed"]),
            "rows_requested": int(plan.rows),
            "rows_per_person": int(parts["rows_per_person"]),
        },
        "file": {
            "encoding": ENCODING,
            "delimiter": DELIMITER,
            "quotechar": '"',
            "line_terminator": LINE_TERMINATOR,
            "header_lines": 1,
            "columns": int(layout["columns"]),
            "bytes": int(layout["bytes"]),
            "sha256": layout["sha256"],
        },
        "lines": lines,
        "malformed": malformed,
        "records": {
            "loaded": n,
            "multiline_records": int((layout["line_count"] > 1).sum()),
            "exact_duplicate_rows": int(layout["duplicates"]),
        },
        "persons": {
            "distinct": int(len(first_idx)),
            "female": int((p_sex == "F").sum()),
            "male": int((p_sex == "M").sum()),
            "minors": int((p_age < 18).sum()),
            "born_abroad": int((p_bdep == "99").sum()),
            "born_overseas": int(np.char.startswith(p_bdep, "97").sum()),
            "born_corsica": int(np.isin(p_bdep, ["2A", "2B"]).sum()),
        },
        # what the file lets one establish: birthplace is written only in a NIR whose digits
        # can be read (valid, wrong key or no key) on at least one of the person's rows
        "persons_observable": {
            **_observable_birthplaces(pid, g["nir_status"], g["birth_dep"]),
            # minors whose age a reader can compute: a birth date and a date of visit (sample
            # date, else last visit) written validly in the file, on some row of the person each
            "minors_with_birth_date": int(
                (
                    p_age[
                        np.isin(pid[first_idx], pid[g["bd_status"] == "valid"])
                        & np.isin(
                            pid[first_idx],
                            pid[(g["sd_status"] == "valid") | np.asarray(g["lv_written"])],
                        )
                    ]
                    < 18
                ).sum()
            ),
        },
        "civility": {
            **{c: int((civ == c).sum()) for c in CIVILITIES},
            "missing": int((civ == "missing").sum()),
        },
        "sex": {
            "declared_F": int((sex_decl == "F").sum()),
            "declared_M": int((sex_decl == "M").sum()),
            "declared_missing": int((sex_decl == None).sum()),  # noqa: E711
            "inconsistent_with_nir": int(nir_flip.sum()),
        },
        "nir": _status_counts(
            g["nir_status"], ("valid", "invalid_key", "key_missing", "malformed", "missing")
        ),
        "birth_date": _status_counts(g["bd_status"], ("valid", "invalid", "missing")),
        "postcode": _status_counts(g["pc_status"], ("valid", "invalid", "missing")),
        "contact": {
            "email": _status_counts(g["email_status"], ("valid", "invalid", "missing")),
            "landline": _status_counts(g["landline_status"], ("valid", "invalid", "missing")),
            "mobile": _status_counts(g["mobile_status"], ("valid", "invalid", "missing")),
        },
        "blood_groups": blood,
        "departements": deps["departements"],
        "regions": deps["regions"],
        "departements_located": deps["departements_located"],
        "regions_located": deps["regions_located"],
        "prescriber_departements": prescriber,
        "labs": labs,
        "sample_dates": {
            "min": _day_str(vd.min()),
            "max": _day_str(vd.max()),
            "invalid": int((g["sd_status"] == "invalid").sum()),
            "missing": int((g["sd_status"] == "missing").sum()),
        },
        "sensitive": sensitive,
        "medication_classes": medication,
        "credentials": creds,
        "hostile": hostile,
        "mojibake": {"rows": int(g["mojibake"].sum())},
    }
    label_frame = pl.DataFrame(
        {
            "source_line": layout["start_line"],
            "person_id": pl.Series(pid).cast(pl.String),
            **{c: pl.Series(lab_labels[c].tolist(), dtype=pl.String) for c in CATEGORIES},
            "medication_class": pl.Series(med.tolist(), dtype=pl.String),
        }
    )
    return truth, label_frame


def _full_years(birth_day: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Calendar age in whole years at ``day`` (both int days since 1970-01-01)."""
    b = pl.Series(birth_day, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)
    d = pl.Series(day, dtype=pl.Int64).cast(pl.Int32).cast(pl.Date)
    f = pl.DataFrame({"b": b, "d": d}).select(
        (
            pl.col("d").dt.year().cast(pl.Int32)
            - pl.col("b").dt.year().cast(pl.Int32)
            - (
                (pl.col("d").dt.month() < pl.col("b").dt.month())
                | (
                    (pl.col("d").dt.month() == pl.col("b").dt.month())
                    & (pl.col("d").dt.day() < pl.col("b").dt.day())
                )
            ).cast(pl.Int32)
        ).alias("a")
    )
    return f["a"].to_numpy()


def _observable_birthplaces(
    pid: np.ndarray, nir_status: np.ndarray, birth_dep: np.ndarray
) -> dict:
    """Persons whose birthplace a reader of the file can know, and where they were born."""
    readable = np.isin(np.asarray(nir_status), ["valid", "invalid_key", "key_missing"])
    persons, first = np.unique(np.asarray(pid)[readable], return_index=True)
    dep = np.asarray(birth_dep)[readable][first].astype(str)
    return {
        "with_readable_nir": int(len(persons)),
        "born_abroad": int((dep == "99").sum()),
        "born_overseas": int(np.char.startswith(dep, "97").sum()),
        "born_corsica": int(np.isin(dep, ["2A", "2B"]).sum()),
    }
