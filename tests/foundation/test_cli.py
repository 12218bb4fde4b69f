"""The dumpscope command: clear one-line errors, exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dumpscope.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_missing_evidence(capsys, tmp_path):
    code, _, err = _run(capsys, "run", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o"))
    assert code == 2
    assert err.strip().count("\n") == 0
    assert err.startswith("dumpscope run: error: evidence file not found")
    assert "Traceback" not in err


def test_run_bad_params_file(capsys, tmp_path):
    dump = tmp_path / "d.csv"
    dump.write_text("a\n1\n", "utf-8")
    params = tmp_path / "p.yaml"
    params.write_text("no_such_parameter: 1\n", "utf-8")
    out = tmp_path / "o"
    code, _, err = _run(capsys, "run", str(dump), "--out", str(out), "--params", str(params))
    assert code == 2 and "unknown parameter(s) no_such_parameter" in err
    assert not out.exists()


def test_run_missing_mapping(capsys, tmp_path):
    dump = tmp_path / "d.csv"
    dump.write_text("a\n1\n", "utf-8")
    code, _, err = _run(
        capsys,
        "run",
        str(dump),
        "--out",
        str(tmp_path / "o"),
        "--mapping",
        str(tmp_path / "m.yaml"),
    )
    assert code == 2 and "mapping file not found" in err


def test_verify_ok_and_mismatch(capsys, fake_run, tmp_path):
    import shutil

    result, _ = fake_run
    copy = tmp_path / "copy"
    shutil.copytree(result.out_dir, copy)
    code, out, _ = _run(capsys, "verify", str(copy))
    assert code == 0 and out.startswith("OK:")
    (copy / "index.html").write_text("tampered", "utf-8")
    (copy / "notebooks" / "01-fake-report.ipynb").unlink()
    code, _, err = _run(capsys, "verify", str(copy))
    assert code == 1
    assert "changed: index.html" in err and "missing: notebooks/01-fake-report.ipynb" in err


def test_verify_not_a_run(capsys, tmp_path):
    code, _, err = _run(capsys, "verify", str(tmp_path))
    assert code == 2 and "no manifest.json" in err


def test_compare_message_is_clear(capsys, tmp_path, monkeypatch):
    import dumpscope.analyses.compare as compare
    import dumpscope.compare_run as compare_run

    monkeypatch.delattr(compare_run, "run_compare", raising=False)
    monkeypatch.delattr(compare, "run_compare", raising=False)
    code, _, err = _run(
        capsys, "compare", str(tmp_path), str(tmp_path), "--out", str(tmp_path / "c")
    )
    assert code == 2 and "run_compare" in err and "Traceback" not in err


def test_compare_missing_evidence(capsys, tmp_path):
    code, _, err = _run(
        capsys, "compare", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--out", str(tmp_path)
    )
    assert code == 2 and err.startswith("dumpscope compare: error:") and "not found" in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "x.csv"])  # --out missing
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["run", "x.csv", "--out", "o", "--lang", "de"])


def test_entry_point_installed(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "dumpscope.cli", "verify", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"dumpscope verify: error: no manifest.json in {tmp_path}"


def test_progress_one_line_per_notebook(capsys):
    from dumpscope.cli import _Progress

    progress = _Progress()
    for line in ["a.csv -> out", "  00-x ...", "  00-x done in 1.5 s", "  10-y ..."]:
        progress(line)
    progress.close()
    out = capsys.readouterr().out
    assert out == "a.csv -> out\n  00-x ... done in 1.5 s\n  10-y ...\n"
