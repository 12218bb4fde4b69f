"""dumpscope.runner on fake notebooks: run folder, parameters, failures, batches."""

from __future__ import annotations

import json

import nbformat
import pytest

from dumpscope.errors import DumpscopeError, ParameterError
from dumpscope.manifest import verify
from dumpscope.runner import NotebookError, collect_dumps, run

from .conftest import FAKE_NAMES


def test_run_folder_layout(fake_run):
    result, _ = fake_run
    root = result.out_dir
    for name in ("index.html", "manifest.json", "01-fake-report.html", "02-fake-check.html"):
        assert (root / name).is_file(), name
    assert (root / "notebooks" / "01-fake-report.ipynb").is_file()
    assert (root / "work" / "sections" / "fake.json").is_file()
    assert [nb.name for nb in result.runs[0].notebooks] == ["01-fake-report", "02-fake-check"]
    assert result.runs[0].skipped == ["03-fake-absent"]


def test_progress_lines(fake_run):
    _, lines = fake_run
    assert any("03-fake-absent" in line and "skipped" in line for line in lines)
    done = [line for line in lines if " done in " in line]
    assert len(done) == 2 and done[0].strip().startswith("01-fake-report")


def test_parameters_applied(fake_run):
    result, _ = fake_run
    section = json.loads((result.out_dir / "work/sections/fake.json").read_text("utf-8"))
    assert section == {"title": "Planted <b>title</b>", "ratio": 2.0, "k": 5, "lang": "en"}
    nb = nbformat.read(result.out_dir / "notebooks/01-fake-report.ipynb", as_version=4)
    injected = nb.metadata["papermill"]["parameters"]
    assert injected["k"] == 5 and injected["lang"] == "en"
    assert injected["dump_path"].endswith("tiny.csv")
    assert injected["run_dir"] == str(result.out_dir)


def test_no_error_outputs(fake_run):
    result, _ = fake_run
    for path in (result.out_dir / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", path.name


def test_manifest_and_verify(fake_run):
    result, _ = fake_run
    manifest = json.loads((result.out_dir / "manifest.json").read_text("utf-8"))
    assert manifest["inputs"][0]["name"] == "tiny.csv"
    assert manifest["inputs"][0]["bytes"] == len(b"A;B\r\n1;2\r\n")
    statuses = {nb["name"]: nb["status"] for nb in manifest["notebooks"]}
    assert statuses == {"01-fake-report": "ok", "02-fake-check": "ok", "03-fake-absent": "skipped"}
    assert manifest["parameters"]["notebooks"]["01-fake-report"]["ratio"] == 2.0
    assert "01-fake-report.html" in manifest["files"]
    assert verify(result.out_dir).ok


def test_index_links_and_escaping(fake_run):
    result, _ = fake_run
    text = (result.out_dir / "index.html").read_text("utf-8")
    assert 'href="01-fake-report.html"' in text
    assert 'href="notebooks/02-fake-check.ipynb"' in text
    assert "03-fake-absent" in text
    assert '<html lang="en">' in text
    assert "<script" not in text


def test_failure_stops_and_names_the_cell(tmp_path, fake_notebooks, fake_dump):
    params = tmp_path / "p.yaml"
    params.write_text("02-fake-check:\n  fail: true\n", "utf-8")
    out = tmp_path / "out"
    with pytest.raises(NotebookError) as err:
        run([fake_dump], out, params_file=params, notebooks_dir=fake_notebooks, names=FAKE_NAMES)
    message = str(err.value)
    assert "02-fake-check" in message and "ValueError: planned failure" in message
    assert "cell" in message
    partial = out / "notebooks" / "02-fake-check.ipynb"
    assert partial.is_file() and str(partial) in message
    nb = nbformat.read(partial, as_version=4)
    assert nb.metadata["papermill"]["exception"] is True
    assert not (out / "manifest.json").exists()
    assert not (out / "02-fake-check.html").exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("titel: x\n", "unknown parameter(s) titel"),
        ("01-fake-report:\n  ratio: fast\n", "'ratio' must be float"),
        ("k: 0\n", "at least 1"),
    ],
)
def test_bad_parameters_rejected_before_running(
    tmp_path, fake_notebooks, fake_dump, params, message
):
    path = tmp_path / "p.yaml"
    path.write_text(params, "utf-8")
    out = tmp_path / "out"
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run([fake_dump], out, params_file=path, notebooks_dir=fake_notebooks, names=FAKE_NAMES)
    assert not out.exists()


def test_out_folder_must_be_new_or_empty(tmp_path, fake_notebooks, fake_dump):
    out = tmp_path / "out"
    out.mkdir()
    (out / "x").write_text("x", "utf-8")
    with pytest.raises(DumpscopeError, match="not empty"):
        run([fake_dump], out, notebooks_dir=fake_notebooks, names=FAKE_NAMES)


def test_batch_of_dumps(tmp_path, fake_notebooks):
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "one.csv").write_bytes(b"A\r\n1\r\n")
    (folder / "two.csv").write_bytes(b"A\r\n2\r\n")
    (folder / "two.csv.truth.json").write_text("{}", "utf-8")
    out = tmp_path / "out"
    result = run([folder], out, notebooks_dir=fake_notebooks, names=["01-fake-report"])
    assert [r.run_dir.name for r in result.runs] == ["one", "two"]
    assert (out / "one" / "index.html").is_file() and (out / "two" / "manifest.json").is_file()
    top = (out / "index.html").read_text("utf-8")
    assert 'href="one/index.html"' in top and 'href="two/index.html"' in top
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [i["name"] for i in manifest["inputs"]] == ["one.csv", "two.csv"]
    assert "one/manifest.json" in manifest["files"]
    assert verify(out).ok and verify(out / "two").ok


def test_collect_dumps(tmp_path):
    (tmp_path / "a.csv").write_text("x", "utf-8")
    files, per_dump = collect_dumps([tmp_path / "a.csv"])
    assert files == [(tmp_path / "a.csv").resolve()] and per_dump is False
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.txt").write_text("x", "utf-8")
    with pytest.raises(DumpscopeError, match="share the name 'a'"):
        collect_dumps([tmp_path / "a.csv", sub])
    with pytest.raises(DumpscopeError, match="not found"):
        collect_dumps([tmp_path / "missing.csv"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DumpscopeError, match="no evidence file"):
        collect_dumps([empty])


def test_evidence_rehash_detects_changes(tmp_path):
    from dumpscope.errors import IntegrityError
    from dumpscope.runner import _check_evidence, _evidence_digest

    dump = tmp_path / "e.csv"
    dump.write_bytes(b"A\r\n1\r\n")
    run_dir = tmp_path / "run"
    (run_dir / "work").mkdir(parents=True)
    before = _evidence_digest(dump)
    assert _check_evidence(run_dir, dump, before)["sha256"] == before["sha256"]
    (run_dir / "work" / "intake.json").write_text(
        json.dumps({"evidence": {"sha256": "0" * 64}}), "utf-8"
    )
    with pytest.raises(IntegrityError, match="does not match intake"):
        _check_evidence(run_dir, dump, before)
    dump.write_bytes(b"A\r\n2\r\n")
    with pytest.raises(IntegrityError, match="changed during the run"):
        _check_evidence(run_dir, dump, before)


def test_dead_kernel_is_one_clear_error(tmp_path, fake_notebooks, fake_dump):
    params = tmp_path / "p.yaml"
    params.write_text("02-fake-check:\n  die: true\n", "utf-8")
    with pytest.raises(NotebookError, match="02-fake-check") as err:
        run(
            [fake_dump],
            tmp_path / "out",
            params_file=params,
            notebooks_dir=fake_notebooks,
            names=FAKE_NAMES,
        )
    assert "\n" not in str(err.value)
