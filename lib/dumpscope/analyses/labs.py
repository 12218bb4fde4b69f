"""The laboratories in the dump: names over time, location, volume, activity window, catchment,
and where the prescribing doctors practise.

Per lab code: its name(s), each with the first and last sample date it was used; its
département (from the code, e.g. ``L56-03`` -> 56, when that is a real département, else the
département where most of its patients live); rows and distinct persons; first and last sample
date inside the dump's activity period (see :mod:`dumpscope.analyses.timeline`); the months
without any sample inside its own window; the départements its patients come from.

Counts are exact (they are compared with the generator's truth); the report gate suppresses those
below ``k``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polars as pl

from dumpscope import frames
from dumpscope.analyses import timeline

_CODE_DEP = re.compile(r"^[A-Z]*[-_ ]?(97[1-6]|2[AB]|\d{2})(?:\D|$)")


#: View columns read by this module's functions (contracts §5).
VIEW_COLUMNS = (
    "_source_line",
    "birth_date",
    "doctor_dep",
    "doctor_postcode",
    "lab_code",
    "lab_name",
    "last_visit_date",
    "residence_dep",
    "sample_date",
    "sample_date_status",
)


def _view(view: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """The view's columns this module reads, as an eager frame (a ``LazyFrame``, e.g.
    ``pl.scan_parquet("view.parquet")``, reads no other column)."""
    names = frames.column_names(view)
    return frames.select(view, [c for c in VIEW_COLUMNS if c in names])


def _col(view: pl.DataFrame, name: str, dtype: pl.DataType = pl.Utf8) -> pl.Expr:
    return pl.col(name) if name in view.columns else pl.lit(None, dtype=dtype).alias(name)


def departement_from_code(code: str | None, known: set[str]) -> str | None:
    """Département named by a lab code (``L56-03`` -> ``56``), if it is a known département."""
    if not code:
        return None
    match = _CODE_DEP.match(code.strip().upper())
    if match and match.group(1) in known:
        return match.group(1)
    return None


def _frame(view: pl.DataFrame, links: pl.DataFrame | None, reference: Any) -> pl.DataFrame:
    frame = view.select(
        pl.col("_source_line"),
        _col(view, "lab_code").str.strip_chars().alias("lab_code"),
        _col(view, "lab_name").str.strip_chars().alias("lab_name"),
        _col(view, "residence_dep").alias("dep"),
        _col(view, "doctor_dep").alias("doctor_dep"),
        _col(view, "doctor_postcode").str.strip_chars().alias("doctor_postcode"),
    )
    dates = timeline.dated(view).select("sample_date", "month")
    frame = pl.concat([frame, dates], how="horizontal")
    if "doctor_dep" not in view.columns:
        pc = reference.postcodes.select(
            pl.col("code_postal").alias("doctor_postcode"),
            pl.col("dep").str.split("|").list.first().alias("_ddep"),
        )
        frame = (
            frame.join(pc, on="doctor_postcode", how="left", maintain_order="left")
            .with_columns(pl.col("_ddep").alias("doctor_dep"))
            .drop("_ddep")
        )
    if links is not None:
        frame = frame.join(
            links.select("_source_line", pl.col("person_id").cast(pl.Utf8)),
            on="_source_line",
            how="left",
            maintain_order="left",
        )
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("person_id"))
    return frame


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def summarize(
    view: pl.DataFrame | pl.LazyFrame,
    links: pl.DataFrame | None,
    reference: Any,
    k: int = 10,
    *,
    window_start: dt.date = timeline.WINDOW_START,
) -> dict:
    """Per-lab figures and the prescribers' geography.

    Parameters
    ----------
    view
        Normalized view; uses ``_source_line, lab_code, lab_name, sample_date,
        sample_date_status, residence_dep, doctor_dep`` (or ``doctor_postcode``).
    links
        ``[_source_line, person_id]`` or None (then ``persons`` are null).
    reference
        ``dumpscope.reference.load_reference()`` (département codes, postcodes).
    k
        Small-count threshold, recorded (counts are exact; the report gate suppresses).
    window_start
        Sample dates before it are out of range and do not set a lab's first sample.

    Returns
    -------
    dict
        ``count`` (distinct lab codes), ``unknown_lab_rows``, ``by_code {code: {rows, persons,
        first_sample, last_sample, names [..by first use], name_periods [{name, first_sample,
        last_sample, rows}], dep, dep_basis ('code'|'patients'), patients_main_dep,
        catchment {dep: {persons, rows}}, months_without_samples [YYYY-MM], undated_rows}}``,
        ``prescribers {basis, departements {dep: rows}, unknown_rows, same_as_residence_rows,
        share_same_as_residence, main_departements_share}``, ``k``.
    """
    view = _view(view)
    with_persons = links is not None
    frame = _frame(view, links, reference)
    known = set(reference.departements["code"].to_list())
    first, last = timeline.activity_window(frame, window_start=window_start)
    in_period = (
        pl.col("sample_date").is_between(first, last) if first is not None else pl.lit(False)
    )
    frame = frame.with_columns(in_period.alias("_dated"))
    labs = frame.filter(pl.col("lab_code").is_not_null() & (pl.col("lab_code") != ""))

    totals = labs.group_by("lab_code").agg(
        pl.len().alias("rows"),
        pl.col("person_id").drop_nulls().n_unique().alias("persons"),
        pl.col("sample_date").filter(pl.col("_dated")).min().alias("first"),
        pl.col("sample_date").filter(pl.col("_dated")).max().alias("last"),
        pl.col("month").filter(pl.col("_dated")).unique().alias("months"),
        (~pl.col("_dated")).sum().alias("undated"),
    )
    names = (
        labs.filter(pl.col("lab_name").is_not_null() & (pl.col("lab_name") != ""))
        .group_by("lab_code", "lab_name")
        .agg(
            pl.len().alias("rows"),
            pl.col("sample_date").filter(pl.col("_dated")).min().alias("first"),
            pl.col("sample_date").filter(pl.col("_dated")).max().alias("last"),
        )
        .sort(["lab_code", "first", "lab_name"], nulls_last=True)
    )
    catch = (
        labs.filter(pl.col("dep").is_not_null())
        .group_by("lab_code", "dep")
        .agg(pl.len().alias("rows"), pl.col("person_id").drop_nulls().n_unique().alias("persons"))
        .sort(["lab_code", "rows", "dep"], descending=[False, True, False])
    )
    name_map: dict[str, list[dict]] = {}
    for r in names.iter_rows(named=True):
        name_map.setdefault(r["lab_code"], []).append(
            {
                "name": r["lab_name"],
                "first_sample": _iso(r["first"]),
                "last_sample": _iso(r["last"]),
                "rows": int(r["rows"]),
            }
        )
    catch_map: dict[str, dict[str, dict]] = {}
    for r in catch.iter_rows(named=True):
        catch_map.setdefault(r["lab_code"], {})[r["dep"]] = {
            "persons": int(r["persons"]) if with_persons else None,
            "rows": int(r["rows"]),
        }

    by_code: dict[str, dict] = {}
    for r in totals.sort("lab_code").iter_rows(named=True):
        code = r["lab_code"]
        catchment = catch_map.get(code, {})
        main_dep = next(iter(catchment), None)
        code_dep = departement_from_code(code, known)
        gaps: list[str] = []
        if r["first"] is not None:
            seen = set(r["months"])
            gaps = [
                m
                for m in timeline.months_between(
                    r["first"].strftime("%Y-%m"), r["last"].strftime("%Y-%m")
                )
                if m not in seen
            ]
        by_code[code] = {
            "rows": int(r["rows"]),
            "persons": int(r["persons"]) if with_persons else None,
            "first_sample": _iso(r["first"]),
            "last_sample": _iso(r["last"]),
            "names": [n["name"] for n in name_map.get(code, [])],
            "name_periods": name_map.get(code, []),
            "dep": code_dep or main_dep,
            "dep_basis": "code" if code_dep else "patients",
            "patients_main_dep": main_dep,
            "catchment": dict(sorted(catchment.items())),
            "months_without_samples": gaps,
            "undated_rows": int(r["undated"]),
        }

    presc = frame.filter(pl.col("doctor_dep").is_not_null())
    presc_deps = presc.group_by("doctor_dep").agg(pl.len().alias("rows")).sort("doctor_dep")
    same = presc.filter(pl.col("doctor_dep") == pl.col("dep")).height
    both = presc.filter(pl.col("dep").is_not_null()).height
    lab_deps = {v["dep"] for v in by_code.values() if v["dep"]}
    in_lab_deps = presc.filter(pl.col("doctor_dep").is_in(sorted(lab_deps))).height
    return {
        "k": k,
        "count": len(by_code),
        "unknown_lab_rows": frame.height - labs.height,
        "by_code": by_code,
        "prescribers": {
            "basis": "doctor_dep of the normalized view: the prescribing doctor's postcode, else "
            "the attending doctor's (contracts §5)",
            "departements": {d: int(n) for d, n in presc_deps.iter_rows()},
            "unknown_rows": frame.height - presc.height,
            "same_as_residence_rows": same,
            "share_same_as_residence": round(same / both, 4) if both else None,
            "lab_departements": sorted(lab_deps),
            "share_in_lab_departements": round(in_lab_deps / presc.height, 4)
            if presc.height
            else None,
        },
    }


def lab_table(section: dict) -> pl.DataFrame:
    """A display frame of a labs section: one row per lab code.

    Returns
    -------
    pl.DataFrame
        ``lab_code, dep, names (' → '-joined), first_sample, last_sample, persons, rows,
        months_without_samples`` (counts exact: pass them as count columns to the table gate).
    """
    rows = [
        {
            "lab_code": code,
            "dep": v["dep"],
            "names": " → ".join(v["names"]),
            "first_sample": v["first_sample"],
            "last_sample": v["last_sample"],
            "persons": v["persons"],
            "rows": v["rows"],
            "months_without_samples": len(v["months_without_samples"]),
        }
        for code, v in section["by_code"].items()
    ]
    schema = {
        "lab_code": pl.Utf8,
        "dep": pl.Utf8,
        "names": pl.Utf8,
        "first_sample": pl.Utf8,
        "last_sample": pl.Utf8,
        "persons": pl.Int64,
        "rows": pl.Int64,
        "months_without_samples": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


def sentences(section: dict, lang: str = "fr", k: int = 10) -> list[str]:
    """Plain-language sentences about a labs section (counts below ``k`` as ``< k``).

    Lab codes and names are the dump's own strings: the caller displays them through an
    escaping gate (``ctx.say`` / ``ctx.show_table`` escape HTML).
    """
    from dumpscope.report import locale

    by_code = section["by_code"]
    renamed = sum(1 for v in by_code.values() if len(v["names"]) > 1)
    deps = sorted({v["dep"] for v in by_code.values() if v["dep"]})
    presc = section["prescribers"]
    if lang == "fr":
        return [
            f"{section['count']} codes de laboratoire, situés dans {len(deps)} départements "
            f"({', '.join(deps)}) ; {renamed} laboratoire(s) ont changé de nom pendant la "
            f"période.",
            f"{locale.percent(presc['share_in_lab_departements'], lang)} des lignes avec un "
            f"prescripteur localisé ont un médecin exerçant dans un département des "
            f"laboratoires ; pour {locale.percent(presc['share_same_as_residence'], lang)}, le "
            f"médecin exerce dans le département de résidence du patient.",
        ]
    return [
        f"{section['count']} lab codes, in {len(deps)} départements ({', '.join(deps)}); "
        f"{renamed} lab(s) changed name during the period.",
        f"{locale.percent(presc['share_in_lab_departements'], lang)} of the rows with a located "
        f"prescriber have a doctor practising in one of the labs' départements; for "
        f"{locale.percent(presc['share_same_as_residence'], lang)} the doctor practises in the "
        f"patient's département of residence.",
    ]


def catchment_frame(section: dict, top: int = 5) -> pl.DataFrame:
    """Where each lab's patients live: its ``top`` départements of residence.

    Returns
    -------
    pl.DataFrame
        ``lab_code, dep, persons, rows, share_rows`` (exact counts: display through the table
        gate with ``count_columns=["persons", "rows"]``), by lab then decreasing rows.
    """
    out = []
    for code, lab in section["by_code"].items():
        total = sum(v["rows"] for v in lab["catchment"].values())
        ranked = sorted(lab["catchment"].items(), key=lambda kv: (-kv[1]["rows"], kv[0]))
        for dep, v in ranked[:top]:
            out.append(
                {
                    "lab_code": code,
                    "dep": dep,
                    "persons": v["persons"],
                    "rows": v["rows"],
                    "share_rows": round(v["rows"] / total, 3) if total else None,
                }
            )
    schema = {
        "lab_code": pl.Utf8,
        "dep": pl.Utf8,
        "persons": pl.Int64,
        "rows": pl.Int64,
        "share_rows": pl.Float64,
    }
    return pl.DataFrame(out, schema=schema)
