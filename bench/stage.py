"""One benchmark stage, run in its own process by ``bench/run.py``.

    .venv/bin/python bench/stage.py STAGE --dump DUMP --run-dir DIR --result OUT.json
        [--rows N] [--seed S] [--k 10] [--notebooks a,b]

Each stage does what the notebooks do for it, through the library's public functions, and takes
its inputs from the previous stages' cache in ``DIR/work`` (``RunContext``: ``intake.json``,
``working.parquet``, ``roles.parquet``, ``view.parquet``, ``links.parquet``; sections in
``work/sections``).

The result file holds ``seconds`` (wall time of the stage's work, its lazy imports of dumpscope
modules and reads of cached inputs included; interpreter start excluded), ``parts`` (seconds per
step), ``rows`` and ``cpu_seconds`` of this process. Peak memory is measured by the parent
(``os.wait4``), so it covers this process and every process it waited for (papermill kernels).

Stages: ``synth``, ``intake``, ``normalize``, ``persons``, ``sensitive``, ``geo``,
``authenticity``, ``findings``, ``run``, ``render`` (see :data:`STAGES`).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DUMPSCOPE = Path(sys.executable).with_name("dumpscope")


class Timer:
    """Accumulates named step durations (``parts``)."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {}

    def __call__(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        out = fn(*args, **kwargs)
        self.parts[name] = self.parts.get(name, 0.0) + time.perf_counter() - t
        return out


def _context(args: argparse.Namespace):
    from dumpscope.pipeline import RunContext

    run_dir = Path(args.run_dir).resolve()
    work_dir = run_dir / "work"
    work_dir.mkdir(parents=True, exist_ok=True)
    params = {
        "dump_path": str(Path(args.dump).resolve()),
        "run_dir": str(run_dir),
        "lang": "fr",
        "k": args.k,
        "mapping_path": "",
    }
    return RunContext(
        notebook="bench",
        params=params,
        dump_path=Path(params["dump_path"]),
        run_dir=run_dir,
        work_dir=work_dir,
    )


# --------------------------------------------------------------------------- stages
def stage_synth(args: argparse.Namespace, t: Timer) -> dict:
    """``dumpscope synth --rows N --seed S --out DUMP``, in chunks when N > ``--chunk-rows``.

    The generator builds the whole dump in memory (about 5 KB per row at peak), so a 10x dump
    cannot be generated in one piece on a 24 GB machine. Above ``--chunk-rows`` the dump is the
    concatenation of ``ceil(N / chunk)`` equal dumps generated with seeds ``S, S+1, ...`` (header kept
    once); ``DUMP.chunks.json`` records the chunks and the sum of their loaded records (no
    ``truth.json``: the chunks' truths do not add up to one, e.g. for persons).
    """
    out = Path(args.dump)
    out.parent.mkdir(parents=True, exist_ok=True)
    chunk = args.chunk_rows if args.chunk_rows > 0 else args.rows
    if args.rows <= chunk:
        cmd = [str(DUMPSCOPE), "synth", "--rows", str(args.rows), "--seed", str(args.seed)]
        cmd += ["--out", str(out)]
        t("synth", subprocess.run, cmd, check=True, stdout=subprocess.DEVNULL)
        truth = json.loads(out.with_name(out.name + ".truth.json").read_text("utf-8"))
        return {"rows": truth["records"]["loaded"], "bytes": truth["file"]["bytes"]}
    pieces = -(-args.rows // chunk)
    sizes = [args.rows // pieces + (i < args.rows % pieces) for i in range(pieces)]
    part = out.with_name(out.name + ".part.csv")
    tmp = out.with_name(out.name + ".tmp")
    chunks = []
    with tmp.open("wb") as dst:
        for i, rows in enumerate(sizes):
            cmd = [str(DUMPSCOPE), "synth", "--rows", str(rows), "--seed", str(args.seed + i)]
            cmd += ["--out", str(part), "--no-labels"]
            t("synth_chunks", subprocess.run, cmd, check=True, stdout=subprocess.DEVNULL)
            truth_path = part.with_name(part.name + ".truth.json")
            truth = json.loads(truth_path.read_text("utf-8"))
            with part.open("rb") as src:
                header = src.readline()
                if i == 0:
                    dst.write(header)
                t("concatenate", shutil.copyfileobj, src, dst, 1 << 24)
            chunks.append(
                {"rows": rows, "seed": args.seed + i, "loaded": truth["records"]["loaded"]}
            )
            part.unlink()
            truth_path.unlink()
    tmp.replace(out)
    loaded = sum(c["loaded"] for c in chunks)
    side = {"rows": args.rows, "records": {"loaded": loaded}, "chunks": chunks}
    out.with_name(out.name + ".chunks.json").write_text(json.dumps(side, indent=1), "utf-8")
    return {"rows": loaded, "bytes": out.stat().st_size, "chunks": len(chunks)}


def stage_intake(args: argparse.Namespace, t: Timer) -> dict:
    """Notebook 00: intake (cached in ``work/``), evidence re-hash, evidence/records sections."""
    work = Path(args.run_dir) / "work"
    if work.exists():
        shutil.rmtree(work)
    ctx = _context(args)
    from dumpscope import custody, intake

    record = t("run_intake", ctx.intake).record
    verification = t("verify_evidence", intake.verify_evidence, record)
    working = ctx.scan_working()
    evidence = custody.evidence_section(record, verification)
    duplicates = t("exact_duplicate_rows", ctx.exact_duplicate_rows)
    records = t(
        "records_section",
        custody.records_section,
        record,
        working,
        exact_duplicate_rows=duplicates,
    )
    ctx.save_section("evidence", evidence)
    ctx.save_section("records", records)
    return {"rows": record["lines"]["loaded_records"], "intake_timing": record.get("timing")}


def stage_normalize(args: argparse.Namespace, t: Timer) -> dict:
    """Notebook 10: roles, normalized view (cached), column profile, profile section."""
    ctx = _context(args)
    from dumpscope.analyses import profile

    working = ctx.scan_working()
    reference = t("load_reference", ctx.reference)
    roles = t("detect_roles", ctx.roles)
    view = t("normalize", ctx.view)
    columns = t(
        "profile_columns", profile.profile_columns, working, roles, view, reference=reference
    )
    section = t(
        "profile_summarize",
        profile.summarize,
        working,
        roles,
        view,
        profile=columns,
        exact_duplicate_rows=ctx.exact_duplicate_rows(),
    )
    ctx.save_section("profile", section)
    return {"rows": view.height}


def stage_persons(args: argparse.Namespace, t: Timer) -> dict:
    """Notebook 20, first half: person links (cached), persons, demographics, credentials."""
    ctx = _context(args)
    from dumpscope.analyses import credentials, demographics, persons

    view = t("scan_view", ctx.scan_view)
    links = t("link", ctx.links)
    section = t("persons", persons.summarize, view, links)
    ctx.save_section("persons", section)
    ctx.save_section("demographics", t("demographics", demographics.summarize, view, links))
    ctx.save_section("credentials", t("credentials", credentials.summarize, view, links))
    return {
        "rows": ctx.intake().record["lines"]["loaded_records"],
        "persons": section.get("distinct"),
    }


def stage_sensitive(args: argparse.Namespace, t: Timer) -> dict:
    """Notebooks 21 and 20, second half: detect + summarize, data classes, severity.

    The notebooks share one ``sensitive.detect`` (``RunContext.detections``, cached).
    """
    ctx = _context(args)
    from dumpscope.analyses import data_classes, sensitive, severity

    view = t("scan_view", ctx.scan_view)
    links = t("read_links", ctx.links)
    detections = t("detect", ctx.detections)
    section = t("summarize", sensitive.summarize, detections, links)
    ctx.save_section("sensitive", section)
    classes = t("data_classes", data_classes.summarize, view, links, detections)
    ctx.save_section("data_classes", classes)
    figures = {name: ctx.load_section(name) for name in ("persons", "demographics", "credentials")}
    figures.update(data_classes=classes, sensitive=section)
    circumstances = {
        "confidentiality": "unknown_recipients",
        "integrity": "none",
        "availability": "none",
        "malicious": True,
        "encrypted": False,
        "publicly_available_before": False,
    }
    ctx.save_section("severity", t("severity", severity.assess, figures, circumstances))
    return {"rows": ctx.intake().record["lines"]["loaded_records"]}


def stage_geo(args: argparse.Namespace, t: Timer) -> dict:
    """Notebooks 30 and 31: geography, labs, timeline sections and their chart frames."""
    ctx = _context(args)
    from dumpscope.analyses import geography, labs, timeline

    view = t("scan_view", ctx.scan_view)
    links = t("read_links", ctx.links)
    reference = t("load_reference", ctx.reference)
    k = ctx.k
    ctx.save_section("geography", t("geography", geography.summarize, view, links, reference, k))
    t("commune_frame", geography.commune_frame, view, links, reference, k)
    ctx.save_section("labs", t("labs", labs.summarize, view, links, reference, k))
    ctx.save_section("timeline", t("timeline", timeline.summarize, view, k))
    t("lab_month_frame", timeline.lab_month_frame, view)
    return {"rows": ctx.intake().record["lines"]["loaded_records"]}


def stage_authenticity(args: argparse.Namespace, t: Timer) -> dict:
    """Notebook 40: authenticity.assess on the view and the working copy."""
    ctx = _context(args)
    from dumpscope.analyses import authenticity

    view = t("scan_view", ctx.scan_view)
    working = ctx.scan_working()
    record = ctx.intake().record
    roles = ctx.roles()
    section = t(
        "assess",
        authenticity.assess,
        view,
        working=working,
        columns=record["columns"],
        roles=roles,
        quarantined_lines=record["lines"]["quarantined_lines"],
    )
    ctx.save_section("authenticity", section)
    return {"rows": ctx.intake().record["lines"]["loaded_records"]}


def stage_findings(args: argparse.Namespace, t: Timer) -> dict:
    """Notebook 90 (computational part): assemble, validate and write ``findings.json``."""
    ctx = _context(args)
    from dumpscope import findings

    facts = t(
        "assemble", findings.assemble, ctx.sections(), {"k": ctx.k, "redaction_level": "aggregate"}
    )
    problems = t("validate", findings.validate, facts)
    path = t("write", findings.write, facts, ctx.run_dir / "findings.json")
    return {"findings": str(path), "problems": problems[:5], "valid": not problems}


def stage_run(args: argparse.Namespace, t: Timer) -> dict:
    """The whole ``dumpscope run DUMP --out DIR`` (papermill, every notebook, HTML, manifest).

    With ``--notebooks`` (tests only) ``dumpscope.runner.run`` is called with those names.
    """
    out = Path(args.run_dir)
    if out.exists():
        shutil.rmtree(out)
    if args.notebooks:
        from dumpscope import runner

        names = [n for n in args.notebooks.split(",") if n]
        t("dumpscope_run", runner.run, [Path(args.dump)], out, names=names)
    else:
        cmd = [str(DUMPSCOPE), "run", str(args.dump), "--out", str(out)]
        t("dumpscope_run", subprocess.run, cmd, check=True)  # progress lines go to the log
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    notebooks = {
        nb["name"]: nb["seconds"] for nb in manifest.get("notebooks", []) if nb.get("seconds")
    }
    return {"notebooks": notebooks, "html": sorted(p.name for p in out.glob("*.html"))}


def stage_render(args: argparse.Namespace, t: Timer) -> dict:
    """nbconvert export of the whole run's executed notebooks (``report.html.export_html``)."""
    from dumpscope.report.html import export_html

    run_dir = Path(args.run_dir)
    target = run_dir.parent / (run_dir.name + "-render")
    if target.exists():
        shutil.rmtree(target)
    notebooks = sorted((run_dir / "notebooks").glob("*.ipynb"))
    if not notebooks:
        raise SystemExit(f"no executed notebook in {run_dir / 'notebooks'}: run the 'run' stage")
    sizes = {}
    for nb in notebooks:
        html = t(nb.stem, export_html, nb, target / f"{nb.stem}.html", title=nb.stem, lang="fr")
        sizes[nb.stem] = html.stat().st_size
    return {"html_bytes": sizes}


STAGES: dict[str, Callable[[argparse.Namespace, Timer], dict]] = {
    "synth": stage_synth,
    "intake": stage_intake,
    "normalize": stage_normalize,
    "persons": stage_persons,
    "sensitive": stage_sensitive,
    "geo": stage_geo,
    "authenticity": stage_authenticity,
    "findings": stage_findings,
    "run": stage_run,
    "render": stage_render,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("stage", choices=sorted(STAGES))
    p.add_argument("--dump", required=True)
    p.add_argument("--run-dir", required=True)
    p.add_argument("--result", required=True)
    p.add_argument("--rows", type=int, default=491_840)
    p.add_argument("--seed", type=int, default=20210223)
    p.add_argument("--chunk-rows", type=int, default=0, help="synth: rows per generated piece")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--notebooks", default="")
    p.add_argument(
        "--profile",
        default="",
        help="write a cProfile report (CPU time of the process, all threads) to this file",
    )
    args = p.parse_args(argv)
    import polars  # noqa: F401  (imported before the clock: every stage and notebook needs it)

    timer = Timer()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    t0 = time.perf_counter()
    info = STAGES[args.stage](args, timer)
    seconds = time.perf_counter() - t0
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        Path(args.profile).write_text(text.getvalue(), "utf-8")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "stage": args.stage,
        "seconds": round(seconds, 3),
        "parts": {k: round(v, 3) for k, v in timer.parts.items()},
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime + kids.ru_utime + kids.ru_stime, 2),
        **info,
    }
    Path(args.result).write_text(json.dumps(result, default=str) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
