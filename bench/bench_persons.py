"""Benchmark: person linkage and the persons-notebook summaries on a default-size view.

Uses the normalized view of the full synthetic dump when it has been generated and a cached
view exists (``--view PATH.parquet``); otherwise builds a 491,840-row view-shaped frame with
known persons (the test factory) and also reports the linkage accuracy against it.

    .venv/bin/python bench/bench_persons.py [--rows 491840] [--view view.parquet]

Writes ``bench/results/persons.json``.
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
RESULTS = ROOT / "bench" / "results" / "persons.json"


def _factory_view(rows: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    sys.path.insert(0, str(ROOT / "tests" / "analyses"))
    from test_persons_factory import make_view

    persons = int(rows / 1.33)
    view, truth = make_view(persons, rows_per_person=1.3, seed=2021)
    return view.head(rows), truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=491_840)
    parser.add_argument("--view", type=Path, default=None, help="a normalized view (Parquet)")
    args = parser.parse_args()

    from dumpscope.analyses import credentials, data_classes, demographics, persons, severity

    truth = None
    t0 = time.perf_counter()
    if args.view:
        view = pl.read_parquet(args.view)
        source = f"normalized view {args.view.name}"
    else:
        view, truth = _factory_view(args.rows)
        source = "view-shaped synthetic frame (tests/analyses/test_persons_factory.make_view)"
    build_s = time.perf_counter() - t0

    timings: dict[str, float] = {}
    t = time.perf_counter()
    links = persons.link(view)
    timings["link"] = time.perf_counter() - t
    t = time.perf_counter()
    sections = {"persons": persons.summarize(view, links)}
    timings["persons_summarize"] = time.perf_counter() - t
    t = time.perf_counter()
    sections["demographics"] = demographics.summarize(view, links)
    timings["demographics"] = time.perf_counter() - t
    t = time.perf_counter()
    sections["data_classes"] = data_classes.summarize(view, links)
    timings["data_classes"] = time.perf_counter() - t
    t = time.perf_counter()
    sections["credentials"] = credentials.summarize(view, links)
    timings["credentials"] = time.perf_counter() - t
    t = time.perf_counter()
    severity.assess(sections, {"confidentiality": "unknown_recipients", "malicious": True})
    timings["severity"] = time.perf_counter() - t
    total = sum(timings.values())

    result: dict = {
        "source": source,
        "rows": view.height,
        "build_view_s": round(build_s, 2),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "total_s": round(total, 2),
        "persons": {
            k: sections["persons"][k] for k in ("distinct", "distinct_low", "distinct_high")
        },
        "peak_rss_mb": round(psutil.Process().memory_info().rss / 2**20),
        "machine": {"cpus": psutil.cpu_count(), "python": platform.python_version()},
    }
    if truth is not None:
        truth = truth.filter(pl.col("_source_line").is_in(view["_source_line"].implode()))
        n_true = truth["true_person"].n_unique()
        joined = links.join(truth, on="_source_line")
        merged = joined.group_by("person_id").agg(pl.col("true_person").n_unique())
        split = joined.group_by("true_person").agg(pl.col("person_id").n_unique())
        result["accuracy"] = {
            "true_persons": n_true,
            "relative_error": round((sections["persons"]["distinct"] - n_true) / n_true, 5),
            "within_bounds": sections["persons"]["distinct_low"]
            <= n_true
            <= sections["persons"]["distinct_high"],
            "clusters_mixing_persons": int((merged["true_person"] > 1).sum()),
            "persons_split": int((split["person_id"] > 1).sum()),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
