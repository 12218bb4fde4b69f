"""Benchmark: geography, labs and timeline summaries (and the chart frames) on 491,840 rows.

Uses a normalized view (``--view PATH.parquet``, optionally ``--links PATH.parquet``) when given;
otherwise builds a view-shaped frame with known geography, labs and dates (the test factory
``tests/analyses/geo_factory.make_view``, about ``--rows`` rows) and checks the results
against its truth.

    .venv/bin/python bench/bench_geo.py [--rows 491840]
    .venv/bin/python bench/bench_geo.py --view view.parquet --links links.parquet \\
        --truth dump.csv.truth.json

Writes ``bench/results/geo.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import polars as pl
import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "geo.json"


def _factory_view(rows: int):
    sys.path.insert(0, str(ROOT / "tests" / "analyses"))
    from geo_factory import make_view

    view, links, truth = make_view(n_persons=round(rows / 1.6), seed=2021)
    return view, links, truth


def _check_dump_truth(truth: dict, geo: dict, lab: dict, tl: dict) -> dict:
    """Compare the sections with a synthetic dump's truth (contracts §2)."""
    deps = truth["departements"]
    missing = sum(v["rows"] for v in deps.values()) - sum(
        v["rows"] for v in geo["departements"].values()
    )
    persons_err = max(
        abs(geo["departements"][c]["persons"] - v["persons"]) / v["persons"]
        for c, v in deps.items()
        if v["persons"] >= 1000
    )
    lab_exact = all(
        lab["by_code"][c][key] == t[key]
        for c, t in truth["labs"].items()
        for key in ("rows", "first_sample", "last_sample", "names", "dep")
    )
    lab_persons_err = max(
        abs(lab["by_code"][c]["persons"] - t["persons"]) / t["persons"]
        for c, t in truth["labs"].items()
    )
    presc, presc_t = lab["prescribers"]["departements"], truth["prescriber_departements"]
    share_err = max(
        abs(presc.get(c, 0) / sum(presc.values()) - presc_t.get(c, 0) / sum(presc_t.values()))
        for c in ("56", "45", "27", "22", "35", "41")
    )
    dates = truth["sample_dates"]
    return {
        "departement_rows_never_above_truth": all(
            v["rows"] <= deps.get(c, {}).get("rows", 0) for c, v in geo["departements"].items()
        ),
        "departement_rows_missing_equal_unlocated": missing == geo["unlocated_rows"],
        "departement_persons_max_rel_error_1000plus": round(persons_err, 4),
        "labs_rows_windows_names_dep_exact": lab_exact,
        "labs_persons_max_rel_error": round(lab_persons_err, 4),
        "prescriber_case_share_max_abs_error": round(share_err, 4),
        "sample_dates_exact": (tl["sample_min"], tl["sample_max"], tl["invalid"], tl["missing"])
        == (dates["min"], dates["max"], dates["invalid"], dates["missing"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=491_840)
    parser.add_argument("--view", type=Path, default=None, help="a normalized view (Parquet)")
    parser.add_argument("--links", type=Path, default=None, help="person links (Parquet)")
    parser.add_argument(
        "--truth", type=Path, default=None, help="the synthetic dump's truth.json (with --view)"
    )
    args = parser.parse_args()

    from dumpscope.analyses import geography, labs, timeline
    from dumpscope.reference import load_reference

    truth = None
    t0 = time.perf_counter()
    if args.view:
        view = pl.read_parquet(args.view)
        links = pl.read_parquet(args.links) if args.links else None
        source = f"normalized view {args.view.name}"
    else:
        view, links, truth = _factory_view(args.rows)
        source = "view-shaped synthetic frame (tests/analyses/geo_factory.make_view)"
    build_s = time.perf_counter() - t0

    timings: dict[str, float] = {}
    t = time.perf_counter()
    reference = load_reference()
    timings["load_reference"] = time.perf_counter() - t
    t = time.perf_counter()
    geo = geography.summarize(view, links, reference, k=10)
    timings["geography.summarize"] = time.perf_counter() - t
    t = time.perf_counter()
    lab = labs.summarize(view, links, reference, k=10)
    timings["labs.summarize"] = time.perf_counter() - t
    t = time.perf_counter()
    tl = timeline.summarize(view, k=10)
    timings["timeline.summarize"] = time.perf_counter() - t
    t = time.perf_counter()
    geography.commune_frame(view, links, reference, k=10)
    timeline.lab_month_frame(view)
    timings["chart_frames"] = time.perf_counter() - t
    total = sum(v for k, v in timings.items() if k != "load_reference")

    checks = {}
    if truth is not None:
        checks = {
            "departements_equal_truth": geo["departements"] == truth["departements"],
            "regions_equal_truth": geo["regions"] == truth["regions"],
            "labs_equal_truth": all(
                lab["by_code"][c][key] == t[key]
                for c, t in truth["labs"].items()
                for key in ("rows", "persons", "first_sample", "last_sample", "names", "dep")
            ),
            "prescribers_equal_truth": lab["prescribers"]["departements"]
            == truth["prescriber_departements"],
            "sample_span_equal_truth": (tl["sample_min"], tl["sample_max"])
            == (truth["sample_dates"]["min"], truth["sample_dates"]["max"]),
        }
    if args.view and args.truth:
        checks = _check_dump_truth(json.loads(args.truth.read_text("utf-8")), geo, lab, tl)
    result = {
        "source": source,
        "rows": view.height,
        "persons": geo["persons"],
        "build_view_s": round(build_s, 2),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "total_s": round(total, 3),
        "checks": checks,
        "machine": {
            "python": platform.python_version(),
            "polars": pl.__version__,
            "cpus": psutil.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        },
        "peak_rss_mb": round(psutil.Process().memory_info().rss / 2**20),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
