"""Benchmark: generate the default-size synthetic dump (491,840 rows) and time it.

    .venv/bin/python bench/bench_synth.py [--rows 491840] [--seed 20210223] [--out PATH]

Writes the dump to ``data/synthetic/full/dump.csv`` (git-ignored) unless ``--out`` is given, and
the figures to ``bench/results/synth.json``: ``{rows, seconds, bytes, peak_rss_mb}`` plus context
(CPU count, load average at start, records, persons, user/system CPU seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "synth.json"


def main(argv: list[str] | None = None) -> int:
    from dumpscope.paths import FULL_DUMP
    from dumpscope.synth import generate

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=491_840)
    p.add_argument("--seed", type=int, default=20210223)
    p.add_argument("--out", type=Path, default=FULL_DUMP)
    args = p.parse_args(argv)
    load = os.getloadavg()[0]
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    truth = generate(args.out, rows=args.rows, seed=args.seed)
    seconds = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    result = {
        "rows": args.rows,
        "seconds": round(seconds, 2),
        "bytes": truth["file"]["bytes"],
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "cpu_user_seconds": round(cpu1.ru_utime - cpu0.ru_utime, 2),
        "cpu_system_seconds": round(cpu1.ru_stime - cpu0.ru_stime, 2),
        "records": truth["records"]["loaded"],
        "persons": truth["persons"]["distinct"],
        "sha256": truth["file"]["sha256"],
        "cpus": os.cpu_count(),
        "load_average_at_start": round(load, 2),
        "python": platform.python_version(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
