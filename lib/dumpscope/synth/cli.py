"""``synth --rows N --seed S --out PATH [--rows-per-person R] [--no-labels]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``synth`` command (reused by the ``dumpscope`` CLI)."""
    p = argparse.ArgumentParser(
        prog="synth",
        description="Generate the synthetic French lab-export dump, its ground truth and labels.",
    )
    p.add_argument("--rows", type=int, default=491_840, help="data rows (default 491840)")
    p.add_argument("--seed", type=int, default=20210223, help="random seed (default 20210223)")
    p.add_argument("--out", type=Path, required=True, help="dump path (.csv)")
    p.add_argument(
        "--rows-per-person", type=int, default=1, help="mean rows per person (default 1)"
    )
    p.add_argument("--no-labels", action="store_true", help="do not write PATH.labels.csv")
    p.add_argument("--communes", type=Path, default=None, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the ``synth`` command; returns the exit status (0 ok, 2 bad arguments)."""
    from dumpscope.synth.generator import generate

    args = build_parser().parse_args(argv)
    if args.rows < 300:
        print("synth: --rows must be at least 300", file=sys.stderr)
        return 2
    if args.rows_per_person < 1:
        print("synth: --rows-per-person must be at least 1", file=sys.stderr)
        return 2
    truth = generate(
        args.out,
        rows=args.rows,
        seed=args.seed,
        rows_per_person=args.rows_per_person,
        labels=not args.no_labels,
        communes_path=args.communes,
    )
    lines = truth["lines"]
    print(
        f"{args.out}: {truth['file']['bytes']:,} bytes, {lines['loaded_records']:,} records, "
        f"{lines['quarantined_lines']} malformed lines, {truth['persons']['distinct']:,} persons"
    )
    return 0
