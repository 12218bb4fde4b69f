"""Benchmark: column roles, the normalized view and the column profile on a default-size dump.

Working copy, in this order: ``--working PATH.parquet`` (with ``--intake intake.json`` for its
columns); the full synthetic dump ``data/synthetic/full/dump.csv`` when it has been generated
(intake runs first, not timed); otherwise the committed sample's working copy repeated to
``--rows`` rows.

    .venv/bin/python bench/bench_normalize.py [--rows 491840] [--runs 1]

Times ``detect_roles`` (with the reference), ``normalize`` and the profile (``profile_columns``
+ ``summarize``), target <= 5 s together (wall time; process CPU seconds, summed over polars'
threads, and the load average are recorded beside it because the machine is shared); when the dump has a truth file, also checks that every
validator count of the profile section equals it. Writes ``bench/results/normalize.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import polars as pl
import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "normalize.json"
TARGET_S = 5.0
TRUTH_KEYS = ("nir", "contact", "postcode", "birth_date", "sex", "civility", "blood_groups",
              "mojibake", "sample_dates")  # fmt: skip


def _intake(dump: Path) -> tuple[pl.DataFrame, list[dict]]:
    from dumpscope.intake import run_intake

    with tempfile.TemporaryDirectory() as work:
        result = run_intake(dump, Path(work))
        return pl.read_parquet(result.working_path), result.record["columns"]


def _repeated_sample(rows: int) -> tuple[pl.DataFrame, list[dict]]:
    from dumpscope.paths import SAMPLE_DUMP

    working, columns = _intake(SAMPLE_DUMP)
    reps = -(-rows // working.height)
    big = pl.concat([working] * reps).head(rows)
    big = big.with_columns(_source_line=pl.int_range(2, rows + 2, dtype=pl.UInt64))
    return big, columns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=491_840)
    parser.add_argument("--runs", type=int, default=1, help="repeat and keep the fastest run")
    parser.add_argument("--working", type=Path, default=None)
    parser.add_argument("--intake", type=Path, default=None, help="intake.json of --working")
    parser.add_argument("--sample", action="store_true", help="use the repeated sample")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    from dumpscope.analyses.profile import profile_columns, summarize
    from dumpscope.paths import FULL_DUMP
    from dumpscope.reference import load_reference
    from dumpscope.roles import detect_roles, normalize

    truth = None
    if args.working:
        working = pl.read_parquet(args.working)
        columns = json.loads(args.intake.read_text("utf-8"))["columns"]
        source = f"working copy {args.working.name}"
    elif not args.sample and FULL_DUMP.is_file():
        working, columns = _intake(FULL_DUMP)
        source = "working copy of data/synthetic/full/dump.csv"
        truth_path = FULL_DUMP.with_name(FULL_DUMP.name + ".truth.json")
        if truth_path.is_file():
            truth = json.loads(truth_path.read_text("utf-8"))
    else:
        working, columns = _repeated_sample(args.rows)
        source = f"committed sample's working copy repeated to {args.rows:,} rows"

    t = time.perf_counter()
    reference = load_reference()
    reference_s = time.perf_counter() - t

    best: dict[str, float] | None = None
    best_cpu: dict[str, float] = {}
    for _ in range(max(1, args.runs)):
        timings: dict[str, float] = {}
        cpu: dict[str, float] = {}
        t, c = time.perf_counter(), time.process_time()
        roles = detect_roles(working, columns, reference=reference)
        timings["detect_roles"] = time.perf_counter() - t
        cpu["detect_roles"] = time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        view = normalize(working, roles, reference)
        timings["normalize"] = time.perf_counter() - t
        cpu["normalize"] = time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        prof = profile_columns(working, roles, view, reference=reference)
        section = summarize(working, roles, view, profile=prof, reference=reference)
        timings["profile"] = time.perf_counter() - t
        cpu["profile"] = time.process_time() - c
        if best is None or sum(timings.values()) < sum(best.values()):
            best, best_cpu = timings, cpu
    assert best is not None
    total = sum(best.values())

    result: dict = {
        "source": source,
        "rows": working.height,
        "columns": len(columns),
        "reference_load_s": round(reference_s, 3),
        "timings_s": {k: round(v, 3) for k, v in best.items()},
        "total_s": round(total, 2),
        "cpu_s": {k: round(v, 3) for k, v in best_cpu.items()},
        "cpu_total_s": round(sum(best_cpu.values()), 2),
        "target_s": TARGET_S,
        "within_target": total <= TARGET_S,
        "runs": args.runs,
        "peak_rss_mb": round(psutil.Process().memory_info().rss / 2**20),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
    }
    if truth is not None:
        equal = {key: section[key] == truth.get(key) for key in TRUTH_KEYS}
        result["truth"] = {
            "keys_equal": equal,
            "all_equal": all(equal.values()),
            "differences": {
                key: {"profile": section[key], "truth": truth.get(key)}
                for key, ok in equal.items()
                if not ok
            },
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
