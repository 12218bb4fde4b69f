"""Orchestration: draw persons and rows, inject faults, write the dump, its truth and labels.

All randomness comes from ``numpy.random.SeedSequence(seed)``, one child stream per concern, so
the same seed gives the same bytes. Rates live in :mod:`dumpscope.synth.rates` (documented in
data/synthetic/README.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from dumpscope.paths import REFERENCE_DIR
from dumpscope.synth import comments as cm
from dumpscope.synth import faults, labs, names
from dumpscope.synth import rates as R
from dumpscope.synth import rows as row_columns
from dumpscope.synth.columns import ALL_COLUMNS
from dumpscope.synth.geography import load_geography
from dumpscope.synth.persons import draw_persons, rows_of_persons
from dumpscope.synth.truth import build_truth
from dumpscope.synth.writer import write_dump

GENERATOR_VERSION = "1.0"
STREAMS = (
    "persons", "names", "places", "nir", "address", "contact", "labs", "doctors", "rows",
    "comments", "credentials", "faults", "layout", "tech", "blood", "writer", "identity", "visits",
)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """Row counts: generated rows split into loaded base rows and malformed-line material."""

    rows: int
    malformed: dict[str, int]
    duplicates: int
    base_rows: int
    material_rows: int


def make_plan(rows: int) -> Plan:
    """Split ``rows`` data rows into loaded records (base + duplicates) and quarantined lines."""
    mal = faults.malformed_counts(rows)
    n_mal = sum(mal.values())
    loaded = rows - n_mal
    if loaded < 200:
        raise ValueError("rows must be at least ~300 to hold every kind of fault")
    dups = max(2, int(round(R.P_DUPLICATE * loaded)))
    material = 4 * (n_mal - mal["blank_line"]) + 20
    return Plan(rows, mal, dups, loaded - dups, material)


def streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent random stream per concern, all derived from ``seed``."""
    ss = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {k: np.random.default_rng(s) for k, s in zip(STREAMS, ss, strict=True)}


def generate_frame(rows: int, seed: int, rows_per_person: int, communes_path: Path) -> dict:
    """Generate every row (loaded base rows, then material for malformed lines) and its state.

    Returns
    -------
    dict: ``plan`` (Plan), ``frame`` (polars, the export columns in order), ``state`` (per-row
    numpy arrays for the truth, plus ``labels`` and ``hostile``), ``seed``, ``rows_per_person``.
    """
    plan = make_plan(rows)
    st = streams(seed)
    geo = load_geography(communes_path)
    tables = names.load_name_tables()
    lab_t = labs.build_labs(st["labs"])
    n = plan.base_rows + plan.material_rows
    n_p = max(1, math.ceil(n / rows_per_person))
    P = draw_persons(st, geo, tables, lab_t, n_p)
    pid = rows_of_persons(st["rows"], n, n_p)
    first_row = np.r_[True, pid[1:] != pid[:-1]]
    # labs and sample days: a person's first row at the person's lab and first day
    lab_idx = P["lab"][pid].copy()
    other = ~first_row & (st["rows"].random(n) < R.P_OTHER_LAB)
    lab_idx[other] = labs.assign_labs(st["labs"], lab_t, int(other.sum()))
    day = labs.sample_days(st["labs"], lab_t, lab_idx)
    day[first_row] = P["first_day"][pid[first_row]]
    lab_code = lab_t.table["code"].gather(lab_idx)
    lab_name = labs.lab_names(lab_t, lab_idx, day)
    lab_dep = lab_t.table["dep"].to_numpy()[lab_idx]
    age_days = day - P["birth_day"][pid]
    # hostile-value rows and material rows carry no comment (material: no quote, no newline)
    n_each, hostile_at = row_columns.hostile_rows(st["faults"], rows, plan.base_rows)
    blocked = np.zeros(n, dtype=bool)
    blocked[hostile_at] = True
    blocked[plan.base_rows :] = True
    com = cm.build_comments(st["comments"], P["sex"][pid], age_days // 365.25, blocked)
    cols: dict[str, pl.Series] = {"CODE_LABO": lab_code, "NOM_LABO": lab_name}
    state: dict = {"pid": pid, "first_row": first_row, "day": day, "age_days": age_days}
    for c, s in (
        row_columns.identity_columns(st["identity"], st["nir"], P, pid, blocked),
        row_columns.address_columns(st["address"], geo, P, pid),
        row_columns.contact_columns(st["contact"], P, pid),
        row_columns.blood_columns(st["blood"], n_p, pid),
        row_columns.doctor_columns(st["doctors"], geo, tables, P, pid, lab_dep),
        row_columns.visit_columns(st["visits"], n_p, pid, day, st["layout"].permutation(n)),
        row_columns.credential_columns(st["credentials"], P, pid),
    ):
        cols.update(c)
        state.update(s)
    cols["COMMENTAIRE_1"], cols["COMMENTAIRE_2"] = com.comment_1, com.comment_2
    cols.update(row_columns.technical_columns(st["tech"], pid, lab_code, day))
    hostile = row_columns.apply_hostile(cols, n_each, hostile_at)
    frame = pl.DataFrame({c: cols[c].rename(c) for c in ALL_COLUMNS})
    state.update(
        {
            "lab_code": lab_code.to_numpy(),
            "lab_name": lab_name.to_numpy(),
            "lab_dep": lab_dep,
            "birth_kind": P["birth_kind"][pid],
            "birth_dep": P["birth_dep"][pid],
            "birth_day": P["birth_day"][pid],
            "labels": com.labels,
            "med_class": com.medication_class,
            "hostile": hostile,
        }
    )
    return {
        "plan": plan,
        "frame": frame,
        "state": state,
        "seed": seed,
        "rows_per_person": rows_per_person,
        "writer_rng": st["writer"],
    }


def generate(
    out_path: str | Path,
    *,
    rows: int = 491_840,
    seed: int = 20210223,
    rows_per_person: int = 1,
    labels: bool = True,
    communes_path: str | Path | None = None,
) -> dict:
    """Generate the synthetic dump and write it with its ground truth and per-row labels.

    Parameters
    ----------
    out_path : dump path ``PATH``; also writes ``PATH.truth.json`` and (``labels``)
        ``PATH.labels.csv`` (contracts §1). Files are written under temporary names, then renamed.
    rows : data rows in the file (loaded records + quarantined lines), at least 300.
    seed : random seed (same seed and rows, same bytes).
    rows_per_person : mean rows per person (1 = one row per patient, as in the real file).
    communes_path : reference commune table (default ``data/reference/communes.csv``).

    Returns
    -------
    The truth dict (docs/contracts.md §2).
    """
    out_path = Path(out_path)
    if rows_per_person < 1:
        raise ValueError("rows_per_person must be >= 1")
    cpath = Path(communes_path) if communes_path is not None else REFERENCE_DIR / "communes.csv"
    parts = generate_frame(rows, seed, rows_per_person, cpath)
    layout = write_dump(out_path, parts, parts["writer_rng"])
    truth, label_frame = build_truth(parts, layout, version=GENERATOR_VERSION)
    tmp = out_path.with_name(out_path.name + ".truth.json.tmp")
    tmp.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", "utf-8")
    tmp.replace(out_path.with_name(out_path.name + ".truth.json"))
    if labels:
        tmp = out_path.with_name(out_path.name + ".labels.csv.tmp")
        label_frame.write_csv(tmp)
        tmp.replace(out_path.with_name(out_path.name + ".labels.csv"))
    return truth
