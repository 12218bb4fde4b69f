"""Benchmark `dumpscope compare` on the default-size dump and a modified copy of it.

The copy has 1 % of the rows removed, 1 % added (from another synthetic dump) and 0.5 % altered;
the comparison must report exactly those numbers. Timed: intake of both files, role detection
of both, and the comparison itself (what the notebook 50-compare-dumps computes); the HTML
rendering is the same for any size and is timed by bench/run.py with the other reports.

    .venv/bin/python bench/bench_compare.py [--dump data/synthetic/full/dump.csv]

Writes bench/results/compare.json (compare_quoted.json with --quote-empty).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from dumpscope.analyses.compare import compare_working
from dumpscope.intake import run_intake
from dumpscope.paths import FULL_DUMP, REPO_ROOT
from dumpscope.reference import load_reference
from dumpscope.roles import detect_roles
from dumpscope.synth import generate
from dumpscope.synth.derive import derive_copy

WORK = REPO_ROOT / "bench" / "work" / "compare"
RESULTS = REPO_ROOT / "bench" / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, default=FULL_DUMP)
    parser.add_argument(
        "--quote-empty",
        action="store_true",
        help='write the copy with every empty field as "" (a fully quoted export)',
    )
    args = parser.parse_args(argv)
    if not args.dump.is_file():
        generate(args.dump)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    reference = load_reference()

    a = run_intake(args.dump, WORK / "a")
    import polars as pl

    a_working = pl.read_parquet(a.working_path)
    other_dump = WORK / "other.csv"
    generate(other_dump, rows=10_000, seed=4242, labels=False)
    other = pl.read_parquet(run_intake(other_dump, WORK / "o").working_path)
    n = a_working.height
    copy = WORK / "copy.csv"
    expected = derive_copy(
        a_working, a.record["columns"], other, copy,
        removed=n // 100, added=n // 100, altered=n // 200, quote_empty=args.quote_empty,
    )  # fmt: skip
    del a_working, other

    shutil.rmtree(WORK / "a")
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    a = run_intake(args.dump, WORK / "a")
    b = run_intake(copy, WORK / "b")
    t_intake = time.perf_counter() - t0
    a_working = pl.read_parquet(a.working_path)
    b_working = pl.read_parquet(b.working_path)
    a_roles = detect_roles(a_working, a.record["columns"], None, reference=reference)
    b_roles = detect_roles(b_working, b.record["columns"], None, reference=reference)
    t1 = time.perf_counter()
    section = compare_working(a_working, b_working, a_roles=a_roles, b_roles=b_roles)
    t_compare = time.perf_counter() - t1
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0

    rows = section["rows"]
    exact = all(rows[k] == expected[k] for k in ("removed", "added", "altered", "unchanged"))
    result = {
        "rows_a": rows["a_total"],
        "rows_b": rows["b_total"],
        "expected": expected,
        "reported": {k: rows[k] for k in ("removed", "added", "altered", "unchanged")},
        "exact": exact,
        "relationship": section["relationship"],
        "seconds": round(seconds, 2),
        "seconds_intake_both": round(t_intake, 2),
        "seconds_compare": round(t_compare, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "budget_seconds": 15,
        "copy_quotes_empty_fields": args.quote_empty,
    }
    out = RESULTS / ("compare_quoted.json" if args.quote_empty else "compare.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
