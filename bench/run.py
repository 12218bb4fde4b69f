"""Benchmarks: every stage of dumpscope, timed with its peak memory, at 1x, 4x and 10x the size.

    .venv/bin/python bench/run.py [--scales 1,4,10] [--rows 491840] [--stages a,b] [--keep]
    .venv/bin/python bench/run.py --quick            # 2,000 rows, results in bench/work/quick/

What ``make bench`` runs. For each scale it generates a synthetic dump of ``rows x scale`` rows
(``dumpscope synth --rows N --seed S`` into ``bench/work/x<scale>/dump.csv``, git-ignored; with
``--keep`` an existing one is reused), then runs each stage of ``bench/stage.py`` in its own child
process, in order, each one reading the previous stages' cache (``RunContext``: Parquet under
``x<scale>/stages/work``):

=============  ==============================================================================
synth          ``dumpscope synth`` (not part of the budgets)
intake         notebook 00: ``run_intake``, evidence re-hash, evidence/records sections
normalize      notebook 10: ``detect_roles``, ``normalize``, ``profile`` (columns + section)
persons        notebook 20: ``persons.link``, persons, demographics, credentials
sensitive      notebooks 21/20: ``sensitive.detect`` + summarize, data classes, severity
geo            notebooks 30/31: geography, labs, timeline (+ their chart frames)
authenticity   notebook 40: ``authenticity.assess``
findings       notebook 90: ``findings.assemble`` / validate / write
run            the whole ``dumpscope run DUMP --out DIR`` (papermill, every notebook, HTML)
render         nbconvert HTML export of the run's executed notebooks (``export_html``)
=============  ==============================================================================

Peak memory: ``ru_maxrss`` from ``os.wait4`` on the child (the largest of the child and the
processes it waited for, e.g. papermill kernels); ``tree_peak_mb`` is the largest *sum* of RSS
over the child's process tree, polled every 0.2 s with psutil. The 1-minute load average is
recorded at the start of each stage: the machine may be shared.

Writes ``bench/results/bench.json`` and ``bench/RESULTS.md`` (merged with the scales and stages
already there, so scales can be measured one at a time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAGE_SCRIPT = Path(__file__).resolve().with_name("stage.py")
DEFAULT_ROWS = 491_840
DEFAULT_SEED = 20210223
QUICK_ROWS = 2_000
ANALYSIS = Path(__file__).resolve().with_name("analysis.md")

#: Stages in run order, with their labels in the tables.
STAGES: dict[str, str] = {
    "synth": "synthesis (`dumpscope synth`)",
    "intake": "intake (00)",
    "normalize": "roles + normalization + profile (10)",
    "persons": "persons: link, persons, demographics, credentials (20)",
    "sensitive": "sensitive: detect, summarize, data classes, severity (21, 20)",
    "geo": "geography + labs + timeline (30, 31)",
    "authenticity": "authenticity (40)",
    "findings": "findings.json (90, assembly)",
    "run": "whole `dumpscope run` (papermill, all notebooks, HTML, manifest)",
    "render": "HTML rendering (nbconvert export of the executed notebooks)",
}
#: The computational stages whose sum is "dump -> findings.json".
COMPUTE = ("intake", "normalize", "persons", "sensitive", "geo", "authenticity", "findings")

#: Budgets (2 cores): seconds and MB.
BUDGET = {
    "findings_s": 15.0,
    "run_s": 90.0,
    "peak_mb_1x": 3 * 1024,
    "peak_mb_10x": 12 * 1024,
    "time_ratio_10x": 12.0,
}


# --------------------------------------------------------------------------- measuring
def _tree_rss(proc) -> int:
    import psutil

    total = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in members:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


#: Memory guard: a child is killed when its process tree exceeds this many MB, or when the
#: machine has less than ``MIN_AVAILABLE_MB`` available (the machine is shared: better one
#: failed stage than the kernel's OOM killer choosing a victim).
MAX_TREE_MB = 14 * 1024
MIN_AVAILABLE_MB = 1024


def measure(
    cmd: list[str], log: Path, env: dict[str, str] | None = None, max_mb: float = MAX_TREE_MB
) -> dict[str, Any]:
    """Run ``cmd`` as a child; wall seconds, exit status, peak RSS (wait4) and tree peak RSS.

    The child's process tree is polled every 0.2 s (psutil) for the summed RSS; above ``max_mb``
    or when the machine's available memory falls under ``MIN_AVAILABLE_MB`` the tree is killed
    and ``killed`` says why.
    """
    import psutil

    load = os.getloadavg()
    log.parent.mkdir(parents=True, exist_ok=True)
    killed: list[str] = []
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        peak = [0]
        done = threading.Event()

        def poll() -> None:
            try:
                ps = psutil.Process(proc.pid)
            except psutil.Error:
                return
            while not done.wait(0.2):
                rss = _tree_rss(ps)
                peak[0] = max(peak[0], rss)
                avail = psutil.virtual_memory().available
                if rss > max_mb * 2**20 or avail < MIN_AVAILABLE_MB * 2**20:
                    killed.append(
                        f"killed by the bench's memory guard: tree RSS {rss / 2**20:,.0f} MB "
                        f"(limit {max_mb:,.0f}), machine available {avail / 2**20:,.0f} MB"
                    )
                    try:
                        members = [*ps.children(recursive=True), ps]
                    except psutil.Error:
                        members = [ps]
                    for member in members:
                        try:
                            member.kill()
                        except psutil.Error:
                            pass
                    return

        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        thread.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    entry = {
        "process_seconds": round(wall, 2),
        "returncode": proc.returncode,
        "peak_mb": round(usage.ru_maxrss / 1024, 1),  # kilobytes on Linux
        "tree_peak_mb": round(peak[0] / 2**20, 1),
        "cpu_seconds_total": round(usage.ru_utime + usage.ru_stime, 2),
        "load_1m_at_start": round(load[0], 2),
        "load_5m_at_start": round(load[1], 2),
    }
    if killed:
        entry["killed"] = killed[0]
    return entry


def run_stage(
    stage: str,
    dump: Path,
    run_dir: Path,
    result_dir: Path,
    *,
    rows: int,
    seed: int,
    extra: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run one ``bench/stage.py`` stage in a child process; its figures and the parent's."""
    result_file = result_dir / f"{stage}.json"
    result_file.unlink(missing_ok=True)
    cmd = [sys.executable, str(STAGE_SCRIPT), stage, "--dump", str(dump)]
    cmd += ["--run-dir", str(run_dir), "--result", str(result_file)]
    cmd += ["--rows", str(rows), "--seed", str(seed), *extra]
    entry = measure(cmd, result_dir / f"{stage}.log", env)
    if entry["returncode"] == 0 and result_file.is_file():
        entry.update(json.loads(result_file.read_text("utf-8")))
    else:
        tail = (result_dir / f"{stage}.log").read_text("utf-8", errors="replace")[-1500:]
        entry["error"] = (entry["killed"] + "\n" + tail) if "killed" in entry else tail
    return entry


# --------------------------------------------------------------------------- code
#: What a code snapshot needs: the package, the notebooks, the reference data.
SNAPSHOT_PATHS = ("lib", "notebooks", "data/reference", "pyproject.toml")


def snapshot(commit: str, work: Path) -> tuple[str, dict[str, str]]:
    """Extract ``commit`` (``git archive``) into ``work/code/<sha>``; (sha, env for children).

    The work tree is shared and edited while the benchmark runs; the children import
    ``dumpscope`` from the snapshot (``PYTHONPATH`` comes before the editable install's path),
    so every stage of a measurement runs the same code, with its own notebooks and reference.
    """
    sha = subprocess.run(
        ["git", "rev-parse", "--short=12", commit],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dest = (work / "code" / sha).resolve()
    if not (dest / "lib" / "dumpscope" / "__init__.py").is_file():
        tmp = dest.with_name(dest.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", sha, *SNAPSHOT_PATHS],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        shutil.rmtree(dest, ignore_errors=True)
        tmp.replace(dest)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(dest / "lib"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return sha, env


# --------------------------------------------------------------------------- machine
def machine() -> dict[str, Any]:
    """Cores, RAM, CPU model, Python, polars and dumpscope versions, git commit, date."""
    import polars as pl
    import psutil

    import dumpscope

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "polars": pl.__version__,
        "dumpscope": dumpscope.__version__,
        "commit": commit,
        "date_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }


# --------------------------------------------------------------------------- summary
def derive(stages: dict[str, dict]) -> dict[str, Any]:
    """Per-scale totals: dump -> findings.json, whole run, notebooks, HTML, peak memory."""
    ok = {name: e for name, e in stages.items() if "error" not in e and not e.get("reused")}
    out: dict[str, Any] = {}
    if all(name in ok for name in COMPUTE):
        out["findings_s"] = round(sum(ok[n]["seconds"] for n in COMPUTE), 2)
        out["findings_process_s"] = round(sum(ok[n]["process_seconds"] for n in COMPUTE), 2)
        out["findings_cpu_s"] = round(sum(ok[n]["cpu_seconds_total"] for n in COMPUTE), 2)
        out["findings_peak_mb"] = max(ok[n]["peak_mb"] for n in COMPUTE)
    if "run" in ok:
        run = ok["run"]
        out["run_s"] = run["seconds"]
        out["run_cpu_s"] = run["cpu_seconds_total"]
        nb = run.get("notebooks") or {}
        out["notebooks_s"] = round(sum(nb.values()), 2)
        out["html_index_manifest_s"] = round(run["seconds"] - out["notebooks_s"], 2)
        out["run_peak_mb"] = run["peak_mb"]
        out["run_tree_peak_mb"] = run["tree_peak_mb"]
    if "render" in ok:
        out["render_s"] = ok["render"]["seconds"]
    peaks = [e["peak_mb"] for n, e in ok.items() if n != "synth"]
    if peaks:
        out["peak_mb"] = max(peaks)
    return out


def budgets(scales: dict[str, dict]) -> list[dict[str, Any]]:
    """The budgets, each with the measured value and whether it is met (None: not measured)."""
    one = scales.get("1", {}).get("derived", {})
    ten = scales.get("10", {}).get("derived", {})
    ten_stages = scales.get("10", {}).get("stages", {})
    rows = []

    def add(name: str, limit: str, value: Any, met: bool | None) -> None:
        rows.append({"budget": name, "limit": limit, "measured": value, "met": met})

    v = one.get("findings_s")
    add(
        "1x: dump -> findings.json", "<= 15 s", v, None if v is None else v <= BUDGET["findings_s"]
    )
    v = one.get("run_s")
    add(
        "1x: whole run incl. every HTML", "<= 90 s", v, None if v is None else v <= BUDGET["run_s"]
    )
    v = one.get("peak_mb")
    add("1x: peak memory", "<= 3,072 MB", v, None if v is None else v <= BUDGET["peak_mb_1x"])
    run10 = ten_stages.get("run")
    run10_ok = None if run10 is None else "error" not in run10
    add(
        "10x: whole run completes",
        "exit 0",
        None if run10 is None else ("yes" if run10_ok else "no"),
        run10_ok,
    )
    killed = [e for e in ten_stages.values() if "killed" in e]
    v = ten.get("peak_mb")
    if killed:
        limit = max(max(e.get("peak_mb") or 0, e.get("tree_peak_mb") or 0) for e in killed)
        add("10x: peak memory", "<= 12,288 MB", f"> {limit:,.0f} (killed)", False)
    else:
        add(
            "10x: peak memory",
            "<= 12,288 MB",
            v,
            None if v is None else v <= BUDGET["peak_mb_10x"],
        )
    ratio = None
    if ten.get("run_s") and one.get("run_s"):
        ratio = round(ten["run_s"] / one["run_s"], 2)
    if run10_ok is False:
        add("10x: run time / 1x run time", "<= 12", "did not complete", False)
    else:
        add(
            "10x: run time / 1x run time",
            "<= 12",
            ratio,
            None if ratio is None else ratio <= BUDGET["time_ratio_10x"],
        )
    return rows


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown(data: dict[str, Any], analysis: Path | None = None) -> str:
    """``bench/RESULTS.md``: stage x scale table, derived totals, budgets, machine.

    ``analysis``: a hand-written Markdown file appended as is (``bench/analysis.md``: what
    dominates, what would fix it), so that regenerating the tables keeps it.
    """
    scales = data["scales"]
    keys = sorted(scales, key=float)
    m = data["machine"]
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py` (`make bench`); figures in `bench/results/bench.json`. Each "
        "stage runs in its own process on the previous stages' cache; *s* = wall seconds of "
        "the stage's work (inside the child, interpreter start excluded), *CPU s* = user + system CPU seconds of the "
        "child process and its descendants (interpreter start included; less sensitive to load "
        "than wall time), *MB* = peak RSS of "
        "the stage's process (or of its largest descendant, for the whole run), *load* = "
        "1-minute load average when the stage started (2 cores: above 2 the stage shared the "
        "CPU with other work).",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, {m['os']}, "
        f"Python {m['python']}, polars {m['polars']}, dumpscope {m['dumpscope']} "
        f"(commit {m['commit']}), measured {data.get('updated_utc', m['date_utc'])}.",
        "",
        *[
            f"- {k}×: {_fmt(scales[k].get('rows'))} rows requested, "
            f"{_fmt(scales[k].get('records'))} records loaded; dump: "
            f"{scales[k].get('dump', '?')}; code: {scales[k].get('code', '?')}."
            for k in keys
        ],
        "",
        "## Stages",
        "",
    ]
    head = "| stage |" + "".join(f" {k}× s | {k}× CPU s | {k}× MB | {k}× load |" for k in keys)
    lines += [head, "|---|" + "---:|---:|---:|---:|" * len(keys)]
    row_counts = "| rows |" + "".join(f" {_fmt(scales[k].get('rows'))} | | | |" for k in keys)
    lines.append(row_counts)
    for name, label in STAGES.items():
        cells = []
        for k in keys:
            e = scales[k].get("stages", {}).get(name)
            if e is None:
                cells += ["–", "–", "–", "–"]
            elif e.get("skipped"):
                cells += ["skipped", "", "", ""]
            elif "error" in e:
                cells += [
                    "killed (memory)" if "killed" in e else "failed",
                    "",  # a killed tree is not waited for: its CPU time is not reported
                    _fmt(max(e.get("peak_mb") or 0, e.get("tree_peak_mb") or 0), 0),
                    _fmt(e.get("load_1m_at_start")),
                ]
            elif e.get("reused"):
                prev = e.get("previous") or {}
                cells += [
                    f"({_fmt(prev.get('seconds'))})" if prev else "reused",
                    f"({_fmt(prev.get('cpu_seconds_total'))})" if prev else "",
                    f"({_fmt(prev.get('peak_mb'), 0)})" if prev else "",
                    f"({_fmt(prev.get('load_1m_at_start'))})" if prev else "",
                ]
            else:
                cells += [
                    _fmt(e["seconds"]),
                    _fmt(e.get("cpu_seconds_total")),
                    _fmt(e["peak_mb"], 0),
                    _fmt(e.get("load_1m_at_start")),
                ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Figures in parentheses: a dump reused with `--keep`, measured when it was generated.",
        "",
        "## Totals",
        "",
        "| figure |" + "".join(f" {k}× |" for k in keys),
        "|---|" + "---:|" * len(keys),
    ]
    totals = [
        ("dump → findings.json, s (sum of intake … findings)", "findings_s"),
        ("same, child processes' wall time incl. interpreter start, s", "findings_process_s"),
        ("same, CPU seconds (user + system, all processes)", "findings_cpu_s"),
        ("whole run, s", "run_s"),
        ("whole run, CPU seconds (user + system, kernels included)", "run_cpu_s"),
        ("of which notebooks executing (papermill, manifest), s", "notebooks_s"),
        ("of which HTML export, index, manifest (run − notebooks), s", "html_index_manifest_s"),
        ("HTML export measured alone (render stage), s", "render_s"),
        ("peak MB of any stage (synthesis excluded)", "peak_mb"),
        ("whole run: peak MB of the largest process", "run_peak_mb"),
        ("whole run: peak MB summed over its process tree", "run_tree_peak_mb"),
    ]
    for label, key in totals:
        cells = [_fmt(scales[k].get("derived", {}).get(key)) for k in keys]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Budgets (2 cores)", "", "| budget | limit | measured | met |"]
    lines.append("|---|---|---:|---|")
    for b in data["budgets"]:
        met = {True: "yes", False: "**no**", None: "not measured"}[b["met"]]
        lines.append(f"| {b['budget']} | {b['limit']} | {_fmt(b['measured'])} | {met} |")
    parts = _parts_table(scales, keys)
    if parts:
        lines += ["", "## Where the time goes (steps inside each stage, seconds)", "", *parts]
    history = [(k, h) for k in keys for h in scales[k].get("history", [])]
    if history:
        lines += [
            "",
            "## Every measurement so far (the tables above show the latest)",
            "",
            "| scale | date (UTC) | code | stages run | mean load | → findings s | CPU s "
            "| run s | CPU s | peak MB |",
            "|---|---|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for k, h in history:
            names = h.get("stages") or []
            what = "all" if set(names) >= set(STAGES) - {"synth"} else ", ".join(names)
            lines.append(
                f"| {k}× | {h.get('date_utc', '')} | {h.get('code', '')} | {what} | "
                f"{_fmt(h.get('mean_load_1m'))} | "
                f"{_fmt(h.get('findings_s'))} | {_fmt(h.get('findings_cpu_s'))} | "
                f"{_fmt(h.get('run_s'))} | {_fmt(h.get('run_cpu_s'))} | "
                f"{_fmt(h.get('peak_mb'), 0)} |"
            )
    notes = data.get("notes") or []
    if notes:
        lines += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    if analysis is not None and analysis.is_file():
        lines += ["", analysis.read_text("utf-8").strip()]
    return "\n".join(lines) + "\n"


def _parts_table(scales: dict[str, dict], keys: list[str]) -> list[str]:
    rows: dict[tuple[str, str], dict[str, float]] = {}
    for k in keys:
        for name, e in scales[k].get("stages", {}).items():
            for part, sec in (e.get("parts") or {}).items():
                rows.setdefault((name, part), {})[k] = sec
            for nb, sec in (e.get("notebooks") or {}).items() if name == "run" else ():
                rows.setdefault((name, f"notebook {nb}"), {})[k] = sec
    if not rows:
        return []
    out = ["| stage | step |" + "".join(f" {k}× |" for k in keys)]
    out.append("|---|---|" + "---:|" * len(keys))
    order = list(STAGES)
    for (name, part), by in sorted(rows.items(), key=lambda kv: order.index(kv[0][0])):
        out.append(f"| {name} | {part} | " + " | ".join(_fmt(by.get(k), 2) for k in keys) + " |")
    return out


# --------------------------------------------------------------------------- driver
def bench_scale(
    scale: float,
    rows: int,
    seed: int,
    stages: list[str],
    work: Path,
    *,
    keep: bool,
    previous: dict[str, Any],
    extra_run: tuple[str, ...] = (),
    chunk_rows: int = 0,
    env: dict[str, str] | None = None,
    code: str = "",
    progress=print,
) -> dict[str, Any]:
    """Run the stages at one scale; returns ``{rows, stages: {name: entry}}``."""
    label = f"x{scale:g}"
    base = work / label
    dump = base / "dump.csv"
    stage_dir = base / "stages"
    run_dir = base / "run"
    logs = base / "results"
    entries: dict[str, Any] = {}
    sidecar = base / "synth.bench.json"
    truth = dump.with_name(dump.name + ".truth.json")
    chunks = dump.with_name(dump.name + ".chunks.json")
    blocked = ""  # a failed stage: the stages reading its cache are skipped
    for name in stages:
        if blocked and name in COMPUTE:
            entries[name] = {"error": f"skipped: stage {blocked} failed", "skipped": True}
            continue
        if name == "render" and "error" in entries.get("run", {}):
            entries[name] = {"error": "skipped: stage run failed", "skipped": True}
            continue
        if name == "synth":
            if keep and dump.is_file() and (truth.is_file() or chunks.is_file()):
                prev = None
                for side in (sidecar, logs / "synth.json"):
                    if side.is_file():
                        prev = json.loads(side.read_text("utf-8"))
                        break
                entries[name] = {"reused": True, "previous": prev}
                progress(f"[{label}] synth: reusing {dump}")
                continue
            for p in (dump, truth, chunks, dump.with_name(dump.name + ".labels.csv")):
                p.unlink(missing_ok=True)
        elif not dump.is_file():
            entries[name] = {"error": f"no dump at {dump}: run the synth stage"}
            progress(f"[{label}] {name}: no dump")
            blocked = blocked or name
            continue
        if name == "intake" and stage_dir.exists():
            shutil.rmtree(stage_dir)
        progress(f"[{label}] {name} ...")
        target = run_dir if name in ("run", "render") else stage_dir
        extra = extra_run if name == "run" else ()
        if name == "synth":
            extra = ("--chunk-rows", str(chunk_rows))
        entry = run_stage(name, dump, target, logs, rows=rows, seed=seed, extra=extra, env=env)
        entries[name] = entry
        if "error" in entry:
            progress(f"[{label}] {name} FAILED (exit {entry['returncode']}): see {logs}")
            if "killed" in entry:
                progress(f"[{label}] {name}: {entry['killed']}")
            if name == "synth":
                break
            blocked = blocked or name
            continue
        progress(
            f"[{label}] {name}: {entry['seconds']:.1f} s, {entry['peak_mb']:.0f} MB "
            f"(load {entry['load_1m_at_start']})"
        )
        if name == "synth":
            sidecar.write_text(json.dumps(entry) + "\n", "utf-8")
    merged = dict(previous.get("stages", {}))
    merged.update(entries)
    if truth.is_file() or chunks.is_file():
        side = truth if truth.is_file() else chunks
        loaded = json.loads(side.read_text("utf-8"))["records"]["loaded"]
    else:
        loaded = previous.get("records")
    result = {"rows": rows, "records": loaded, "stages": merged}
    if chunks.is_file():
        result["dump"] = (
            f"{len(json.loads(chunks.read_text('utf-8'))['chunks'])} synthetic dumps of at most "
            f"{chunk_rows:,} rows (seeds {seed}, {seed + 1}, ...) concatenated"
        )
    else:
        result["dump"] = f"dumpscope synth --rows {rows} --seed {seed}"
    result["derived"] = derive(merged)
    result["history"] = list(previous.get("history", []))
    ran = [e for e in entries.values() if not e.get("reused") and "load_1m_at_start" in e]
    if ran:
        d = result["derived"]
        result["history"].append(
            {
                "date_utc": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "stages": sorted(n for n, e in entries.items() if not e.get("reused")),
                "code": code,
                "mean_load_1m": round(sum(e["load_1m_at_start"] for e in ran) / len(ran), 2),
                **{
                    key: d.get(key)
                    for key in ("findings_s", "findings_cpu_s", "run_s", "run_cpu_s", "peak_mb")
                },
            }
        )
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="1,4,10", help="multiples of --rows (default 1,4,10)")
    p.add_argument("--rows", type=int, default=None, help=f"rows at 1x (default {DEFAULT_ROWS})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--stages", default=",".join(STAGES), help="comma list (default: all)")
    p.add_argument("--keep", action="store_true", help="reuse generated dumps when present")
    p.add_argument(
        "--chunk-rows",
        type=int,
        default=None,
        help="generate dumps larger than this in pieces (default: the 1x rows; 0 = never)",
    )
    p.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ROWS:,} rows at 1x, results in work/quick"
    )
    p.add_argument("--work", type=Path, default=None, help="scratch folder (bench/work)")
    p.add_argument("--results", type=Path, default=None, help="bench.json path")
    p.add_argument("--markdown", type=Path, default=None, help="RESULTS.md path")
    p.add_argument("--fresh", action="store_true", help="do not merge with the existing JSON")
    p.add_argument(
        "--code",
        default="HEAD",
        help="commit to measure, extracted to work/code/<sha> (default HEAD); 'live' = the "
        "work tree as it is (edits made while the benchmark runs are picked up)",
    )
    p.add_argument(
        "--render-only",
        action="store_true",
        help="only rewrite RESULTS.md from the JSON (e.g. after editing bench/analysis.md)",
    )
    p.add_argument("--notebooks", default="", help=argparse.SUPPRESS)  # tests: run a subset
    args = p.parse_args(argv)

    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    stages = [s for s in args.stages.split(",") if s.strip()]
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        p.error(f"unknown stages {unknown}; choose from {list(STAGES)}")
    stages = [s for s in STAGES if s in stages]  # run order
    if args.quick:
        rows = args.rows or QUICK_ROWS
        if args.scales == "1,4,10":
            scales = [1.0]
        work = args.work or ROOT / "bench" / "work" / "quick"
        results = args.results or work / "bench.json"
        md = args.markdown or work / "RESULTS.md"
    else:
        rows = args.rows or DEFAULT_ROWS
        work = args.work or ROOT / "bench" / "work"
        results = args.results or ROOT / "bench" / "results" / "bench.json"
        md = args.markdown or ROOT / "bench" / "RESULTS.md"
    if args.render_only:
        data = json.loads(results.read_text("utf-8"))
        data["budgets"] = budgets(data["scales"])
        md.write_text(markdown(data, ANALYSIS), "utf-8")
        print(f"wrote {md}")
        return 0
    work.mkdir(parents=True, exist_ok=True)

    data: dict[str, Any] = {}
    if results.is_file() and not args.fresh:
        data = json.loads(results.read_text("utf-8"))
        if data.get("base_rows") != rows:
            data = {}
    data.setdefault("scales", {})
    data["base_rows"] = rows
    data["seed"] = args.seed
    extra = ("--notebooks", args.notebooks) if args.notebooks else ()
    env = None
    code = "live work tree"
    if args.code != "live":
        sha, env = snapshot(args.code, work)
        code = f"commit {sha}"
    for scale in scales:
        key = f"{scale:g}"
        previous = data["scales"].get(key, {})
        data["scales"][key] = bench_scale(
            scale,
            int(round(rows * scale)),
            args.seed,
            stages,
            work,
            keep=args.keep,
            previous=previous,
            extra_run=extra,
            chunk_rows=rows if args.chunk_rows is None else args.chunk_rows,
            env=env,
            code=code,
        )
        data["scales"][key]["code"] = code
        data["machine"] = machine()
        data["updated_utc"] = data["machine"]["date_utc"]
        data["budget"] = BUDGET
        data["budgets"] = budgets(data["scales"])
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
        md.write_text(markdown(data, ANALYSIS), "utf-8")
    print(f"wrote {results} and {md}")
    for b in data["budgets"]:
        print(f"  {b['budget']}: {_fmt(b['measured'])} ({b['limit']}) met={b['met']}")
    failed = [
        f"{k}:{n}"
        for k, s in data["scales"].items()
        for n, e in s["stages"].items()
        if "error" in e
    ]
    if failed:
        print("failed stages: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
