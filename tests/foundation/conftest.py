"""Fixtures of the foundation tests: fake notebooks and one batch run of them."""

from __future__ import annotations

import pytest

from dumpscope.runner import run

from .fakes import make_fake_notebooks

FAKE_NAMES = ("01-fake-report", "02-fake-check", "03-fake-absent")


@pytest.fixture(scope="session")
def fake_notebooks(tmp_path_factory):
    """Folder holding 01-fake-report and 02-fake-check."""
    folder = tmp_path_factory.mktemp("fake-notebooks")
    make_fake_notebooks(folder)
    return folder


@pytest.fixture(scope="session")
def fake_dump(tmp_path_factory):
    """A tiny evidence file (content irrelevant to the fake notebooks)."""
    path = tmp_path_factory.mktemp("evidence") / "tiny.csv"
    path.write_bytes(b"A;B\r\n1;2\r\n")
    return path


@pytest.fixture(scope="session")
def fake_run(tmp_path_factory, fake_notebooks, fake_dump):
    """A finished single-dump run of the fake notebooks (lang en, k 5, a params file)."""
    out = tmp_path_factory.mktemp("runs") / "single"
    params = out.parent / "params.yaml"
    params.write_text('title: "Planted <b>title</b>"\n01-fake-report:\n  ratio: 2\n', "utf-8")
    lines: list[str] = []
    result = run(
        [fake_dump],
        out,
        params_file=params,
        lang="en",
        k=5,
        notebooks_dir=fake_notebooks,
        names=FAKE_NAMES,
        progress=lines.append,
    )
    return result, lines
