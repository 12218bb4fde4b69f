"""Smoke test of the benchmark orchestrator (bench/run.py) on a tiny synthetic dump."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_run():
    return _load("run")


@pytest.fixture(scope="module")
def quick(tmp_path_factory, bench_run):
    tmp = tmp_path_factory.mktemp("bench")
    results, md = tmp / "bench.json", tmp / "RESULTS.md"
    argv = ["--quick", "--rows", "800", "--work", str(tmp / "work"), "--results", str(results)]
    argv += ["--markdown", str(md), "--notebooks", "00-inspect-evidence"]
    rc = bench_run.main(argv)
    return rc, json.loads(results.read_text("utf-8")), md.read_text("utf-8"), tmp


def test_every_stage_measured(quick, bench_run):
    rc, data, _, _ = quick
    assert rc == 0
    scale = data["scales"]["1"]
    assert scale["rows"] == 800
    assert 0 < scale["records"] <= 800
    assert set(scale["stages"]) == set(bench_run.STAGES)
    for name, entry in scale["stages"].items():
        assert "error" not in entry, (name, entry.get("error"))
        assert entry["seconds"] >= 0, name
        assert entry["peak_mb"] > 10, name  # a Python process with polars: tens of MB at least
        assert entry["load_1m_at_start"] >= 0, name
        assert entry["parts"], name


def test_totals_and_budgets(quick, bench_run):
    _, data, _, tmp = quick
    derived = data["scales"]["1"]["derived"]
    stages = data["scales"]["1"]["stages"]
    assert derived["findings_s"] == pytest.approx(
        sum(stages[n]["seconds"] for n in bench_run.COMPUTE), abs=0.02
    )
    assert derived["peak_mb"] >= max(stages[n]["peak_mb"] for n in bench_run.COMPUTE)
    assert set(stages["run"]["notebooks"]) == {"00-inspect-evidence"}
    assert stages["run"]["html"] == ["00-inspect-evidence.html", "index.html"]
    names = [b["budget"] for b in data["budgets"]]
    assert len(names) == 6 and names[0].startswith("1x: dump -> findings")
    assert data["budgets"][3]["met"] is None  # no 10x measured
    for key in ("cores", "ram_gb", "python", "polars", "date_utc"):
        assert data["machine"][key]
    findings = tmp / "work" / "x1" / "stages" / "findings.json"
    assert stages["findings"]["valid"] is True
    assert findings.is_file() and json.loads(findings.read_text("utf-8"))


def test_markdown_lists_every_stage_and_budget(quick, bench_run):
    _, data, md, _ = quick
    for label in bench_run.STAGES.values():
        assert f"| {label} |" in md
    assert "| 1x: dump -> findings.json | <= 15 s |" in md
    assert f"polars {data['machine']['polars']}" in md
    assert "failed" not in md


def test_merge_keeps_other_scales(quick, bench_run, tmp_path):
    _, data, _, tmp = quick
    results = tmp_path / "bench.json"
    data["scales"]["10"] = {"rows": 8000, "records": 7990, "stages": {}, "derived": {}}
    results.write_text(json.dumps(data), "utf-8")
    argv = ["--quick", "--rows", "800", "--work", str(tmp / "work"), "--results", str(results)]
    argv += ["--markdown", str(tmp_path / "R.md"), "--stages", "findings"]
    assert bench_run.main(argv) == 0
    merged = json.loads(results.read_text("utf-8"))
    assert set(merged["scales"]) == {"1", "10"}
    # the other stages of 1x are kept, findings re-measured
    assert set(merged["scales"]["1"]["stages"]) == set(bench_run.STAGES)
    assert merged["scales"]["1"]["stages"]["findings"]["valid"] is True


def test_failed_stage_reported(bench_run, tmp_path):
    argv = ["--quick", "--rows", "800", "--work", str(tmp_path), "--stages", "intake,normalize"]
    argv += ["--results", str(tmp_path / "b.json"), "--markdown", str(tmp_path / "R.md")]
    assert bench_run.main(argv) == 1  # no dump generated: the stage cannot run
    data = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert "no dump" in data["scales"]["1"]["stages"]["intake"]["error"]
    assert data["scales"]["1"]["stages"]["normalize"]["skipped"] is True
    assert "| roles + normalization + profile (10) | skipped |" in (tmp_path / "R.md").read_text()


def test_large_dump_generated_in_pieces(bench_run, tmp_path):
    argv = ["--quick", "--rows", "700", "--scales", "2", "--chunk-rows", "600", "--stages"]
    argv += ["synth", "--work", str(tmp_path), "--results", str(tmp_path / "b.json")]
    argv += ["--markdown", str(tmp_path / "R.md")]
    assert bench_run.main(argv) == 0
    data = json.loads((tmp_path / "b.json").read_text("utf-8"))["scales"]["2"]
    dump = tmp_path / "x2" / "dump.csv"
    side = json.loads(dump.with_name("dump.csv.chunks.json").read_text("utf-8"))
    assert [c["rows"] for c in side["chunks"]] == [467, 467, 466]
    assert [c["seed"] for c in side["chunks"]] == [20210223, 20210224, 20210225]
    assert data["records"] == side["records"]["loaded"] == sum(c["loaded"] for c in side["chunks"])
    lines = dump.read_bytes().split(b"\r\n")
    assert lines.count(lines[0]) == 1  # one header
    assert not dump.with_name("dump.csv.truth.json").exists()
    assert "3 synthetic dumps" in data["dump"]


def test_memory_guard_kills_a_greedy_child(bench_run, tmp_path):
    code = "import time; x = bytearray(400 * 2**20); x[::4096] = b'1' * len(x[::4096]); "
    code += "time.sleep(5)"
    entry = bench_run.measure([sys.executable, "-c", code], tmp_path / "log", max_mb=150)
    assert entry["returncode"] != 0
    assert "memory guard" in entry["killed"]
    assert entry["process_seconds"] < 5


def test_measure_reports_the_child_peak(bench_run, tmp_path):
    code = "x = bytearray(120 * 2**20); x[::4096] = b'1' * len(x[::4096])"
    entry = bench_run.measure([sys.executable, "-c", code], tmp_path / "log")
    assert entry["returncode"] == 0 and "killed" not in entry
    # ru_maxrss of a forked child can include its parent's RSS before exec (a big pytest
    # worker): only the lower bound is a property of the child.
    assert entry["peak_mb"] >= 120


def test_history_keeps_every_measurement(quick, bench_run, tmp_path):
    _, data, _, tmp = quick
    results = tmp_path / "bench.json"
    results.write_text(json.dumps(data), "utf-8")
    argv = ["--quick", "--rows", "800", "--work", str(tmp / "work"), "--results", str(results)]
    argv += ["--markdown", str(tmp_path / "R.md"), "--stages", "findings"]
    assert bench_run.main(argv) == 0
    history = json.loads(results.read_text("utf-8"))["scales"]["1"]["history"]
    assert len(history) == len(data["scales"]["1"]["history"]) + 1 >= 2
    assert history[-1]["stages"] == ["findings"]
    assert "## Every measurement so far" in (tmp_path / "R.md").read_text("utf-8")
