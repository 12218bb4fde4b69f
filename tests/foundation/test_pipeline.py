"""open_run and RunContext: validation, caching of stages, sections."""

from __future__ import annotations

import datetime as dt
import json
import types

import polars as pl
import pytest

import dumpscope.pipeline as pipeline
from dumpscope.errors import DumpscopeError, ParameterError


@pytest.fixture
def nb_path(fake_notebooks):
    return str(fake_notebooks / "01-fake-report.ipynb")


@pytest.fixture
def namespace(tmp_path, fake_dump):
    return {
        "dump_path": str(fake_dump),
        "run_dir": str(tmp_path / "run"),
        "lang": "en",
        "k": 7,
        "mapping_path": "",
        "title": "t",
        "ratio": 0.25,
        "pl": pl,  # imports in globals() are ignored
    }


def test_open_run(namespace, nb_path, tmp_path):
    ctx = pipeline.open_run(namespace, notebook=nb_path)
    assert ctx.notebook == "01-fake-report"
    assert ctx.params["k"] == 7 and ctx.k == 7 and ctx.lang == "en"
    assert ctx.run_dir == tmp_path / "run" and ctx.work_dir.is_dir()
    assert "pl" not in ctx.params


def test_open_run_rejects_ill_typed(namespace, nb_path):
    namespace["k"] = "7"
    with pytest.raises(ParameterError, match="01-fake-report: parameter 'k' must be int"):
        pipeline.open_run(namespace, notebook=nb_path)


def test_open_run_default_run_dir(namespace, nb_path, monkeypatch, tmp_path):
    monkeypatch.setattr(pipeline, "REPORTS_DIR", tmp_path / "reports")
    namespace["run_dir"] = ""
    ctx = pipeline.open_run(namespace, notebook=nb_path)
    assert ctx.run_dir == tmp_path / "reports" / "interactive" / "tiny"


def test_relative_paths_resolve_from_repository_root():
    assert pipeline.resolve_path("data/x.csv") == pipeline.REPO_ROOT / "data/x.csv"


def test_sections_are_deterministic(namespace, nb_path):
    ctx = pipeline.open_run(namespace, notebook=nb_path)
    data = {"b": 2, "a": {"z": dt.date(2020, 1, 2), "y": {3, 1}}, "é": "ü"}
    path = ctx.save_section("evidence", data)
    first = path.read_bytes()
    ctx.save_section("evidence", dict(reversed(list(data.items()))))
    assert path.read_bytes() == first
    assert first.decode("utf-8").startswith('{\n  "a": {\n    "y": [\n      1,')
    assert ctx.load_section("evidence")["a"]["z"] == "2020-01-02"
    assert ctx.sections() == {"evidence": json.loads(first)}


def test_section_errors(namespace, nb_path):
    ctx = pipeline.open_run(namespace, notebook=nb_path)
    with pytest.raises(DumpscopeError, match="not found"):
        ctx.load_section("persons")
    with pytest.raises(DumpscopeError, match="invalid section name"):
        ctx.save_section("../evil", {})
    with pytest.raises(DumpscopeError, match="must be a dict"):
        ctx.save_section("x", [1])
    with pytest.raises(TypeError):
        ctx.save_section("x", {"a": object()})


def _fake_intake(calls):
    def run_intake(evidence, work_dir, **options):
        calls.append(options)
        working = pl.DataFrame({"a": ["1", "1", "<x>"], "_source_line": [2, 3, 4]})
        working.write_parquet(work_dir / "working.parquet")
        record = {
            "evidence": {"sha256": pipeline.sha256_file(evidence), "name": evidence.name},
            "columns": [{"index": 0, "original": "A", "name": "a"}],
        }
        (work_dir / "intake.json").write_text(json.dumps(record), "utf-8")
        return types.SimpleNamespace(
            record=record,
            working_path=work_dir / "working.parquet",
            quarantine_path=work_dir / "quarantine.parquet",
        )

    return run_intake


def test_intake_runs_once_per_run_folder(namespace, nb_path, monkeypatch):
    import dumpscope.intake

    calls: list[dict] = []
    monkeypatch.setattr(dumpscope.intake, "run_intake", _fake_intake(calls), raising=False)
    ctx = pipeline.open_run(namespace, notebook=nb_path)
    assert ctx.intake().record["columns"][0]["name"] == "a"
    assert ctx.working().height == 3
    again = pipeline.open_run(namespace, notebook=nb_path)  # another notebook, same run folder
    assert again.intake().record["evidence"]["name"] == "tiny.csv"
    assert len(calls) == 1


def test_intake_reruns_when_evidence_changes(namespace, nb_path, monkeypatch, tmp_path):
    import dumpscope.intake

    evidence = tmp_path / "other.csv"
    evidence.write_bytes(b"A\r\n1\r\n")
    namespace["dump_path"] = str(evidence)
    calls: list[dict] = []
    monkeypatch.setattr(dumpscope.intake, "run_intake", _fake_intake(calls), raising=False)
    pipeline.open_run(namespace, notebook=nb_path).intake()
    evidence.write_bytes(b"A\r\n2\r\n")
    pipeline.open_run(namespace, notebook=nb_path).intake()
    assert len(calls) == 2


def test_roles_and_view_cached_on_disk(namespace, nb_path, monkeypatch):
    import dumpscope.intake
    import dumpscope.reference
    import dumpscope.roles

    calls: list[str] = []
    monkeypatch.setattr(dumpscope.intake, "run_intake", _fake_intake([]), raising=False)

    def detect_roles(working, columns, mapping, reference=None):
        calls.append("roles")
        return pl.DataFrame({"column": ["a"], "role": ["other"]})

    def normalize(working, roles, reference):
        calls.append("view")
        assert isinstance(working, pl.LazyFrame)  # the stages never hold the copy whole
        return working.with_columns(pl.lit("x").alias("usage_name")).collect()

    monkeypatch.setattr(dumpscope.roles, "detect_roles", detect_roles, raising=False)
    monkeypatch.setattr(dumpscope.roles, "normalize", normalize, raising=False)
    monkeypatch.setattr(dumpscope.reference, "load_reference", lambda: None, raising=False)
    ctx = pipeline.open_run(namespace, notebook=nb_path)
    assert ctx.view()["usage_name"].to_list() == ["x", "x", "x"]
    assert (ctx.work_dir / "view.parquet").is_file() and (ctx.work_dir / "roles.parquet").is_file()
    fresh = pipeline.open_run(namespace, notebook=nb_path)
    assert fresh.view().height == 3 and fresh.roles().height == 1
    assert calls == ["roles", "view"]


def test_mapping_file(namespace, nb_path, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("NUM_SS: nir\n", "utf-8")
    namespace["mapping_path"] = str(mapping)
    assert pipeline.open_run(namespace, notebook=nb_path).mapping() == {"NUM_SS": "nir"}
    mapping.write_text("- nir\n", "utf-8")
    with pytest.raises(ParameterError, match="must be a mapping"):
        pipeline.open_run(namespace, notebook=nb_path).mapping()


def test_say_escapes_html():
    assert pipeline.escape_markdown_html("**a** <b>&") == "**a** &lt;b&gt;&amp;"


def test_code_change_invalidates_cached_intake(namespace, nb_path, monkeypatch):
    import dumpscope.intake

    calls: list[dict] = []
    monkeypatch.setattr(dumpscope.intake, "run_intake", _fake_intake(calls), raising=False)
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda stage: "v1")
    pipeline.open_run(namespace, notebook=nb_path).intake()
    pipeline.open_run(namespace, notebook=nb_path).intake()
    monkeypatch.setattr(pipeline, "code_fingerprint", lambda stage: "v2")
    pipeline.open_run(namespace, notebook=nb_path).intake()
    assert len(calls) == 2


def test_code_fingerprint_changes_with_the_source():
    assert pipeline.code_fingerprint("view") == pipeline.code_fingerprint("view")
    assert pipeline.code_fingerprint("intake") != pipeline.code_fingerprint("links")


def test_exact_duplicate_rows_computed_once_and_shared(namespace, nb_path, sample_dump):
    from dumpscope import custody, frames
    from dumpscope.analyses import profile

    namespace["dump_path"] = str(sample_dump)
    ctx = pipeline.open_run(namespace, notebook=nb_path)
    count = ctx.exact_duplicate_rows()
    assert count == frames.exact_duplicate_rows(ctx.working()) > 0
    cached = json.loads((ctx.work_dir / "duplicates.json").read_text("utf-8"))
    assert cached["exact_duplicate_rows"] == count
    # a fresh context reads the file instead of scanning the copy again
    cached["exact_duplicate_rows"] = count + 1
    (ctx.work_dir / "duplicates.json").write_text(json.dumps(cached), "utf-8")
    assert pipeline.open_run(namespace, notebook=nb_path).exact_duplicate_rows() == count + 1
    record = ctx.intake().record
    lazy = ctx.scan_working()
    assert custody.records_section(record, lazy)["exact_duplicate_rows"] == count
    given = custody.records_section(record, lazy, exact_duplicate_rows=3)
    assert given["exact_duplicate_rows"] == 3
    assert profile.duplicates(lazy, exact_duplicate_rows=3)["exact_duplicate_rows"] == 3
    assert profile.duplicates(lazy)["exact_duplicate_rows"] == count


def test_evidence_hash_reused_only_while_the_file_is_untouched(
    namespace, nb_path, monkeypatch, tmp_path
):
    import hashlib

    evidence = tmp_path / "own.csv"  # the session's fake dump is shared: change a copy
    evidence.write_bytes(b"A;B\r\n1;2\r\n")
    namespace["dump_path"] = str(evidence)
    first = pipeline.open_run(namespace, notebook=nb_path).evidence_sha256()
    assert first == hashlib.sha256(evidence.read_bytes()).hexdigest()
    real = pipeline.sha256_file
    calls: list = []

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(pipeline, "sha256_file", counting)
    assert pipeline.open_run(namespace, notebook=nb_path).evidence_sha256() == first
    assert calls == []  # same file identity: the digest is reused
    data = bytearray(evidence.read_bytes())
    data[-2] = ord("Z") if data[-2] != ord("Z") else ord("Y")
    evidence.write_bytes(bytes(data))  # same size, one byte changed
    changed = pipeline.open_run(namespace, notebook=nb_path).evidence_sha256()
    assert len(calls) == 1 and changed != first
    assert changed == hashlib.sha256(bytes(data)).hexdigest()
