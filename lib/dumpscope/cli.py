"""``dumpscope`` command line: ``synth``, ``run``, ``verify``, ``compare``.

A thin layer over the library. Errors meant for the analyst (:class:`DumpscopeError`) end as one
line on stderr and exit status 2 (``verify`` mismatches: 1); no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from dumpscope.errors import DumpscopeError

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_ERROR = 2


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class _Progress:
    """Prints progress lines; a line ending in ``" ..."`` stays open until the next one, which
    completes it when it starts with the same words (``"  00-x ... done in 3.1 s"``)."""

    def __init__(self) -> None:
        self.pending = ""

    def __call__(self, line: str) -> None:
        if line.endswith(" ..."):
            self.close()
            sys.stdout.write(line)
            sys.stdout.flush()
            self.pending = line[: -len(" ...")]
            return
        if self.pending and line.startswith(self.pending):
            _out(line[len(self.pending) :])
            self.pending = ""
            return
        self.close()
        _out(line)

    def close(self) -> None:
        """End an open line (before an error message, for example)."""
        if self.pending:
            _out("")
            self.pending = ""


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dumpscope",
        description="Profile a leaked personal-data dump and render offline, redacted reports.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    synth = sub.add_parser(
        "synth", help="generate a synthetic dump (options: dumpscope synth --help)", add_help=False
    )
    synth.add_argument("synth_args", nargs=argparse.REMAINDER)

    run = sub.add_parser("run", help="run the report notebooks on evidence files or folders")
    run.add_argument("dumps", nargs="+", metavar="DUMP", help="evidence file(s) or folder(s)")
    run.add_argument("--out", required=True, metavar="DIR", help="new or empty output folder")
    run.add_argument("--params", metavar="FILE.yaml", help="YAML parameters file")
    run.add_argument("--lang", choices=("fr", "en"), default="fr", help="report language")
    run.add_argument("--k", type=int, default=10, help="small-count suppression threshold")
    run.add_argument("--mapping", metavar="FILE", help="YAML file forcing column roles")

    verify = sub.add_parser("verify", help="re-hash a run folder against its manifest.json")
    verify.add_argument("dir", metavar="DIR")

    compare = sub.add_parser("compare", help="compare two evidence files (A = the reference)")
    compare.add_argument("a", metavar="A", help="reference evidence file")
    compare.add_argument("b", metavar="B", help="evidence file compared with A")
    compare.add_argument("--out", required=True, metavar="DIR", help="new or empty output folder")
    compare.add_argument("--params", metavar="FILE.yaml", help="YAML parameters file")
    compare.add_argument("--lang", choices=("fr", "en"), default="fr", help="report language")
    compare.add_argument("--k", type=int, default=10, help="small-count suppression threshold")
    return parser


def _cmd_synth(args: argparse.Namespace) -> int:
    try:
        from dumpscope.synth import main as synth_main
    except ImportError:
        raise DumpscopeError(
            "the synthetic generator (dumpscope.synth) is not available"
        ) from None
    return int(synth_main(list(args.synth_args)) or 0)


def _cmd_run(args: argparse.Namespace) -> int:
    from dumpscope.runner import run

    result = run(
        args.dumps,
        args.out,
        params_file=args.params,
        lang=args.lang,
        k=args.k,
        mapping=args.mapping,
        progress=args.progress,
    )
    _out(f"report: {result.index}")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from dumpscope.manifest import verify

    outcome = verify(Path(args.dir))
    (_out if outcome.ok else _err)(outcome.report())
    return EXIT_OK if outcome.ok else EXIT_MISMATCH


def _cmd_compare(args: argparse.Namespace) -> int:
    run_compare = None
    for module in ("dumpscope.compare_run", "dumpscope.analyses.compare"):
        try:
            run_compare = getattr(importlib.import_module(module), "run_compare", None)
        except ImportError:
            continue
        if run_compare is not None:
            break
    if run_compare is None:
        raise DumpscopeError(
            "comparison is not available yet (dumpscope.compare_run.run_compare is missing)"
        )
    index = run_compare(
        Path(args.a),
        Path(args.b),
        Path(args.out),
        lang=args.lang,
        k=args.k,
        params_file=args.params,
        progress=args.progress,
    )
    _out(f"report: {index}")
    return EXIT_OK


_COMMANDS = {
    "synth": _cmd_synth,
    "run": _cmd_run,
    "verify": _cmd_verify,
    "compare": _cmd_compare,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dumpscope`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 success, 1 ``verify`` mismatch, 2 error (one line on stderr).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    if argv[:1] == ["synth"]:  # pass everything (including --help) to the generator
        args = argparse.Namespace(command="synth", synth_args=argv[1:])
    else:
        args = parser.parse_args(argv)
    args.progress = _Progress()
    try:
        return _COMMANDS[args.command](args)
    except DumpscopeError as exc:
        args.progress.close()
        _err(f"dumpscope {args.command}: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        args.progress.close()
        _err(f"dumpscope {args.command}: interrupted")
        return 130
    finally:
        args.progress.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
