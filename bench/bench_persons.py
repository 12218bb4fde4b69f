"""Benchmark: person linkage and the persons-notebook summaries on a default-size view.

Uses, in this order: a normalized view given with ``--view PATH.parquet`` (and its labels with
``--labels``); the full synthetic dump ``data/synthetic/full/dump.csv`` when it has been
generated (intake, roles and normalize run first, not timed; accuracy from its labels);
otherwise a 491,840-row view-shaped frame with known persons (the test factory).

    .venv/bin/python bench/bench_persons.py [--rows 491840] [--splink]
        [--view work/view.parquet --labels data/synthetic/full/dump.csv.labels.csv]

Writes ``bench/results/persons.json``. ``--splink`` also times a splink 5 (DuckDB) deduplication
of the same rows (blocking on NIR, birth date, first + last name; EM training, fixed seed) for
comparison with :func:`dumpscope.analyses.persons.link` (about a minute at full size).
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


def _full_dump_view() -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """The normalized view of the full synthetic dump and its labels, or None."""
    import tempfile

    from dumpscope.intake import run_intake
    from dumpscope.paths import FULL_DUMP
    from dumpscope.reference import load_reference
    from dumpscope.roles import detect_roles, normalize

    labels = FULL_DUMP.with_name(FULL_DUMP.name + ".labels.csv")
    if not (FULL_DUMP.is_file() and labels.is_file()):
        return None
    with tempfile.TemporaryDirectory() as work:
        result = run_intake(FULL_DUMP, Path(work))
        working = pl.read_parquet(result.working_path)
    view = normalize(
        working, detect_roles(working, result.record["columns"], None), load_reference()
    )
    return view, _labels(labels)


def _labels(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema_length=0).select(
        pl.col("source_line").cast(pl.UInt64).alias("_source_line"),
        pl.col("person_id").alias("true_person"),
    )


def _factory_view(rows: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    sys.path.insert(0, str(ROOT / "tests" / "analyses"))
    from test_persons_factory import make_view

    persons = int(rows / 1.33)
    view, truth = make_view(persons, rows_per_person=1.3, seed=2021)
    return view.head(rows), truth


def _splink(view: pl.DataFrame) -> tuple[float, pl.DataFrame]:
    """Cluster the view with splink 5 on DuckDB; returns (seconds, [_source_line, cluster_id])."""
    import logging

    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.internals.duckdb.database_api import DuckDBAPI

    from dumpscope.analyses import persons

    frame = persons._prepare(view).select(
        pl.col("_i").cast(pl.Int64).alias("unique_id"),
        "_source_line",
        "ln",
        "fn",
        "birth_date",
        "pc",
        "sx",
        pl.when(pl.col("valid_nir")).then(pl.col("nir")).alias("nir"),
    )
    t = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("nir"),
            block_on("birth_date"),
            block_on("fn", "ln"),
        ],
        comparisons=[
            cl.ExactMatch("nir"),
            cl.JaroWinklerAtThresholds("ln", [0.95, 0.88]),
            cl.JaroWinklerAtThresholds("fn", [0.95, 0.88]),
            cl.ExactMatch("birth_date"),
            cl.ExactMatch("pc"),
            cl.ExactMatch("sx"),
        ],
    )
    linker = Linker(DuckDBAPI().register(frame.to_arrow()), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("nir")], recall=0.9)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("fn", "ln"))
    pred = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.95)
    out = pl.from_pandas(clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]])
    seconds = time.perf_counter() - t
    out = out.join(frame.select("unique_id", "_source_line"), on="unique_id")
    return seconds, out.select("_source_line", pl.col("cluster_id").cast(pl.Utf8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=491_840)
    parser.add_argument("--view", type=Path, default=None, help="a normalized view (Parquet)")
    parser.add_argument("--splink", action="store_true", help="also time splink 5 on DuckDB")
    parser.add_argument(
        "--factory", action="store_true", help="use the view-shaped test factory frame"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument(
        "--labels", type=Path, default=None, help="the dump's PATH.labels.csv (with --view)"
    )
    args = parser.parse_args()

    from dumpscope.analyses import credentials, data_classes, demographics, persons, severity

    truth = None
    t0 = time.perf_counter()
    if args.view:
        view = pl.read_parquet(args.view)
        source = f"normalized view {args.view.name}"
        if args.labels:
            truth = _labels(args.labels)
    elif not args.factory and (full := _full_dump_view()) is not None:
        view, truth = full
        source = "normalized view of data/synthetic/full/dump.csv"
    else:
        view, truth = _factory_view(args.rows)
        source = "view-shaped synthetic frame (tests/analyses/test_persons_factory.make_view)"
    build_s = time.perf_counter() - t0

    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    sections: dict = {}

    def timed(name, fn, *a):
        t, c = time.perf_counter(), time.process_time()
        out = fn(*a)
        timings[name] = time.perf_counter() - t
        cpu[name] = time.process_time() - c
        return out

    links = timed("link", persons.link, view)
    sections["persons"] = timed("persons_summarize", persons.summarize, view, links)
    sections["demographics"] = timed("demographics", demographics.summarize, view, links)
    sections["data_classes"] = timed("data_classes", data_classes.summarize, view, links)
    sections["credentials"] = timed("credentials", credentials.summarize, view, links)
    circumstances = {"confidentiality": "unknown_recipients", "malicious": True}
    timed("severity", severity.assess, sections, circumstances)
    total = sum(timings.values())

    result: dict = {
        "source": source,
        "rows": view.height,
        "build_view_s": round(build_s, 2),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "total_s": round(total, 2),
        "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
        "cpu_total_s": round(sum(cpu.values()), 2),
        "load_average_1min": round(psutil.getloadavg()[0], 1),
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
    if args.splink:
        seconds, clusters = _splink(view)
        entry = {"seconds": round(seconds, 1), "distinct": clusters["cluster_id"].n_unique()}
        if truth is not None:
            n_true = result["accuracy"]["true_persons"]
            entry["relative_error"] = round((entry["distinct"] - n_true) / n_true, 5)
            joined = clusters.join(truth, on="_source_line")
            merged = joined.group_by("cluster_id").agg(pl.col("true_person").n_unique())
            entry["clusters_mixing_persons"] = int((merged["true_person"] > 1).sum())
        result["splink"] = entry
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
