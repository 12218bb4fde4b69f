"""Benchmark intake on a default-size dump (491,840 records, ~150 columns, ~300 MB).

Uses ``data/synthetic/full/dump.csv`` when it exists; otherwise builds a look-alike CSV in
``bench/work/intake_big.csv`` (cp1252, ``;``, CRLF, quoted fields with delimiters and line
breaks, a few malformed lines of every kind). The intake itself runs in a fresh subprocess so
that its peak RSS is not polluted by the generator.

Writes ``bench/results/intake.json`` (``intake_lookalike.json`` with ``--lookalike``): ``{rows, bytes, seconds, peak_rss_mb, source, timing,
physical_lines, quarantined_lines}``.

``--evidence PATH`` measures another dump (e.g. ``bench/work/x10/dump.csv``) and ``--out PATH``
writes the result elsewhere; the result also gives the working copy's row groups.

Usage: ``.venv/bin/python bench/bench_intake.py [--rows N] [--repeat K] [--evidence P] [--out P]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from dumpscope.paths import FULL_DUMP, REPO_ROOT

BENCH = REPO_ROOT / "bench"
BIG = BENCH / "work" / "intake_big.csv"
RESULT = BENCH / "results" / "intake.json"

_NAMES = [
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEFÈVRE",
    "MOREAU",
    "GARÇON",
    "LE GOFF",
    "KERJEAN",
    "LE BIHAN",
    "HÉLIAS",
    "CŒUR",
]
_FIRST = [
    "Zoé",
    "Hélène",
    "François",
    "Noël",
    "Loïc",
    "Maëlle",
    "Jean-Pierre",
    "Anaïs",
    "Gwenaëlle",
    "Yann",
    "Erwan",
    "Sœur Marie",
    "Émilie",
    "Léa",
    "Cédric",
    "Aurélie",
]
_COMMENTS = [
    "patient à jeun",
    "Sérologie VIH demandée",
    "pas d'antécédent",
    "contrôle INR",
    "grossesse 12 SA",
    "suivi diabète; HbA1c",
    "RAS",
    "prélèvement difficile",
]


def build_dump(path: Path, rows: int, seed: int = 7) -> None:
    """Write a look-alike cp1252 dump of ``rows`` records and ~150 columns to ``path``."""
    rng = np.random.default_rng(seed)
    cols: dict[str, pl.Series] = {}

    def pick(values: list[str]) -> pl.Series:
        return pl.Series(
            np.asarray(values, dtype=object)[rng.integers(0, len(values), rows)], dtype=pl.String
        )

    def digits(n: int) -> pl.Series:
        return pl.Series(rng.integers(10 ** (n - 1), 10**n, rows).astype(str), dtype=pl.String)

    cols["NUM_DOSSIER"] = digits(9)
    cols["CODE_LABO"] = pick([f"L{d:02d}-{k:02d}" for d in (22, 29, 35, 56) for k in range(1, 9)])
    cols["NOM_LABO"] = pick(["LABO BIO OUEST", "BIOLOGIE DU MORBIHAN", "LABM KERNEVEL"])
    cols["CIVILITE"] = pick(["Mme", "M.", "Enfant", "Bébé", "Sœur"])
    cols["NOM_USAGE"] = pick(_NAMES)
    cols["NOM_NAISSANCE"] = pick(_NAMES + [""] * 16)
    cols["PRENOM"] = pick(_FIRST)
    cols["SEXE"] = pick(["F", "M", ""])
    day, month = rng.integers(1, 29, rows), rng.integers(1, 13, rows)
    year = rng.integers(1920, 2020, rows)
    cols["DATE_NAISSANCE"] = pl.Series(
        [f"{d:02d}/{m:02d}/{y}" for d, m, y in zip(day, month, year, strict=True)]
    )
    cols["NUM_SS"] = digits(15)
    cols["ADRESSE1"] = pl.Series([f"{n} rue de l'Église" for n in rng.integers(1, 200, rows)])
    cols["ADRESSE2"] = pick(["", "", "", "Bâtiment B"])
    cols["CODE_POSTAL"] = pick(["56000", "56100", "29200", "35000", "22000"])
    cols["VILLE"] = pick(["VANNES", "LORIENT", "BREST", "RENNES", "SAINT-BRIEUC"])
    cols["PAYS"] = pick(["FRANCE"])
    cols["TEL_DOMICILE"] = pl.Series(
        [f"02 97 {a:02d} {b:02d} {c:02d}" for a, b, c in rng.integers(0, 100, (rows, 3))]
    )
    cols["TEL_PORTABLE"] = pl.Series([f"06{a:08d}" for a in rng.integers(0, 10**8, rows)])
    cols["EMAIL"] = pick(["", "", "", "", "", "", "", "x.y@example.fr"])
    cols["GROUPE_SANGUIN"] = pick(["A", "B", "AB", "O", "0", ""])
    cols["RHESUS"] = pick(["+", "-", "POS", "NEG", ""])
    cols["MEDECIN_TRAITANT"] = pick(["DR LE GALL", "DR MORVAN", "DR NICOLAS"])
    cols["DATE_PRELEVEMENT"] = pl.Series(
        [f"{d:02d}/{m:02d}/{2015 + y % 6}" for d, m, y in zip(day, month, year, strict=True)]
    )
    comment = pick(_COMMENTS + [""] * 8)
    multi = rng.random(rows) < 0.005
    comment = pl.Series(
        [
            c + "\r\nsuite du commentaire" if m else c
            for c, m in zip(comment.to_list(), multi.tolist(), strict=True)
        ]
    )
    cols["COMMENTAIRE_1"] = comment
    cols["COMMENTAIRE_2"] = pick(_COMMENTS + [""] * 24)
    cols["LOGIN_WEB"] = pick([""] * 30 + ["jdupont"])
    cols["MDP_WEB"] = pick([""] * 30 + ["azerty56"])
    k = 0
    while len(cols) < 150:
        k += 1
        cols[f"TECH_{k:03d}"] = pick([""] * 7 + [f"VAL{k:03d}", f"{k}.50", f"CODE-{k}"])
    # Empty values written as nothing (not ""), like the LIS export; quotes only where needed.
    frame = pl.DataFrame(cols).with_columns(pl.all().replace("", None))
    body = frame.write_csv(separator=";", line_terminator="\r\n", quote_style="necessary")
    lines = body.encode("cp1252").split(b"\r\n")
    if lines[-1] == b"":
        lines.pop()
    bad = {
        b"\r\n": 8,
        b"x;y\r\n": 30,
        (b";" * 160) + b"\r\n": 30,
        b'a;"open\r\n': 4,
        b"\x00;" * 149 + b"\x00\r\n": 6,
        b"\x81" + b";" * 149 + b"\r\n": 20,
    }
    out = [line + b"\r\n" for line in lines]
    for raw, count in bad.items():
        for pos in rng.integers(100, len(out) - 100, count):
            out.insert(int(pos), raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(out))


def _run_once(evidence: Path) -> dict:
    """Run intake in this process; returns seconds, peak RSS and the record's figures."""
    from dumpscope.intake import run_intake

    with tempfile.TemporaryDirectory(dir=BENCH / "work") as tmp:
        t = time.perf_counter()
        result = run_intake(evidence, Path(tmp))
        seconds = time.perf_counter() - t
        row_groups = pq.ParquetFile(result.working_path).num_row_groups
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_kb = usage.ru_maxrss
    rec = result.record
    return {
        "rows": rec["lines"]["loaded_records"],
        "bytes": rec["evidence"]["bytes"],
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        # CPU time of the whole child (imports included): stabler than wall time on a busy host
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "physical_lines": rec["lines"]["physical"],
        "quarantined_lines": rec["lines"]["quarantined_lines"],
        "columns": len(rec["columns"]),
        "row_groups": row_groups,
        "timing": rec["timing"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=491_840)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    parser.add_argument(
        "--lookalike",
        action="store_true",
        help="use the look-alike dump even when the full synthetic dump exists",
    )
    parser.add_argument("--evidence", type=Path, help="dump to measure (default: the 1x dump)")
    parser.add_argument("--out", type=Path, help="result file (default: bench/results/...)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_run_once(args.child)))
        return 0
    if args.evidence:
        evidence, source = args.evidence.absolute(), str(args.evidence)
    elif FULL_DUMP.exists() and not args.lookalike:
        evidence, source = FULL_DUMP, "data/synthetic/full/dump.csv"
    else:
        evidence, source = BIG, f"bench look-alike ({args.rows} rows)"
        if not BIG.exists():
            build_dump(BIG, args.rows)
    (BENCH / "work").mkdir(parents=True, exist_ok=True)
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(evidence)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    best["source"] = source
    best["all_seconds"] = [r["seconds"] for r in runs]
    best["load_average_1m"] = round(os.getloadavg()[0], 2)
    out = RESULT.with_name("intake_lookalike.json") if args.lookalike else RESULT
    out = args.out or out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(best, indent=2) + "\n", "utf-8")
    print(json.dumps(best, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
