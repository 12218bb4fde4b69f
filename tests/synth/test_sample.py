"""The committed sample is what the generator produces today."""

from __future__ import annotations

import hashlib

from dumpscope.synth import generate


def test_sample_matches_truth(sample_dump, sample_truth):
    data = sample_dump.read_bytes()
    assert hashlib.sha256(data).hexdigest() == sample_truth["file"]["sha256"]
    assert sample_truth["generator"]["seed"] == 20210223
    assert sample_truth["generator"]["rows_requested"] == 5000


def test_sample_is_reproducible(sample_dump, sample_truth, tmp_path):
    truth = generate(tmp_path / "sample.csv", rows=5000, seed=20210223)
    assert truth == {**sample_truth, "file": truth["file"]}
    assert truth["file"]["sha256"] == sample_truth["file"]["sha256"], (
        "the generator changed: regenerate data/synthetic/sample.csv (see its README)"
    )
