"""Bytes, conventions, line accounting and determinism of the generated dump."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
import pytest

from dumpscope.synth import generate, main
from dumpscope.synth.columns import ALL_COLUMNS, PATIENT_COLUMNS
from dumpscope.synth.faults import FORMULA_VALUES, HTML_VALUES, LONG_FIELD_CHARS

from .refparse import parse


def test_truth_file_matches_returned_truth(dump, truth_file):
    _, truth = dump
    assert truth == truth_file


def test_truth_keys(truth_file):
    assert set(truth_file) == {
        "generator", "file", "lines", "malformed", "records", "persons", "civility", "sex", "nir",
        "birth_date", "postcode", "contact", "blood_groups", "departements", "regions",
        "departements_located", "regions_located", "persons_observable",
        "prescriber_departements", "labs", "sample_dates", "sensitive", "medication_classes",
        "credentials", "hostile", "mojibake",
    }  # fmt: skip
    assert set(truth_file["malformed"]) == {
        "extra_fields", "missing_fields", "unbalanced_quote", "nul_byte", "undecodable", "blank_line"
    }  # fmt: skip


def test_bytes_hash_and_size(dump):
    path, truth = dump
    data = path.read_bytes()
    assert truth["file"]["bytes"] == len(data)
    assert truth["file"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_header_delimiter_crlf(dump):
    path, truth = dump
    data = path.read_bytes()
    header = data.split(b"\r\n", 1)[0].decode("cp1252").split(";")
    assert header == list(ALL_COLUMNS)
    assert truth["file"]["columns"] == len(header) >= 140
    assert set(PATIENT_COLUMNS) <= set(header)
    assert data.endswith(b"\r\n")
    # records end with CRLF; bare LFs only occur inside quoted multi-line fields
    bare_lf = data.count(b"\n") - data.count(b"\r\n")
    assert bare_lf == truth["lines"]["loaded_lines"] - truth["lines"]["loaded_records"] > 0


def test_cp1252_text(dump, truth_file):
    path, _ = dump
    data = path.read_bytes()
    bad = set(truth_file["malformed"]["undecodable"])
    lines = data.split(b"\n")
    for i, raw in enumerate(lines, start=1):
        if i in bad:
            continue
        raw.decode("cp1252")  # must not raise
    text = data.decode("cp1252", errors="replace")
    assert "é" in text and "Mme" in text
    assert "Ã©".encode("cp1252") in data  # mojibake names are present


def test_reference_parser_agrees_with_truth(parsed, truth_file):
    header, records, quarantine = parsed
    expected = sorted((ln, r) for r, lines in truth_file["malformed"].items() for ln in lines)
    assert sorted(quarantine) == expected
    for reason, lines in truth_file["malformed"].items():
        assert lines, f"no {reason} line"
    lines = truth_file["lines"]
    assert lines["loaded_records"] == len(records) == truth_file["records"]["loaded"]
    assert lines["loaded_lines"] == sum(n for _, n, _ in records)
    assert lines["quarantined_lines"] == len(quarantine)
    assert (
        lines["header"] + lines["loaded_lines"] + lines["quarantined_lines"] == lines["physical"]
    )
    assert truth_file["records"]["multiline_records"] == sum(1 for _, n, _ in records if n > 1) > 0


def test_physical_line_count(dump, truth_file):
    path, _ = dump
    data = path.read_bytes()
    assert data.count(b"\n") == truth_file["lines"]["physical"]


def test_malformed_lines_are_what_they_say(dump, truth_file):
    path, _ = dump
    lines = path.read_bytes().split(b"\n")
    width = len(ALL_COLUMNS)
    m = truth_file["malformed"]
    for ln in m["nul_byte"]:
        assert b"\x00" in lines[ln - 1]
    for ln in m["undecodable"]:
        assert any(bytes([b]) in lines[ln - 1] for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    for ln in m["blank_line"]:
        assert lines[ln - 1] == b"\r"
    for ln in m["extra_fields"]:
        assert lines[ln - 1].count(b";") == width
    for ln in m["missing_fields"]:
        assert lines[ln - 1].count(b";") < width - 1
    for ln in m["unbalanced_quote"]:
        assert lines[ln - 1].count(b'"') == 1
        # the quote cannot close within 50 lines
        assert all(b'"' not in lines[ln - 1 + k] for k in range(1, 51))
    # normal lines around each malformed line
    all_bad = {ln for v in m.values() for ln in v}
    for ln in all_bad:
        assert ln - 1 not in all_bad and ln + 1 not in all_bad


def test_exact_duplicates(parsed, truth_file):
    _, records, _ = parsed
    rows = [tuple(f) for _, _, f in records]
    assert truth_file["records"]["exact_duplicate_rows"] == len(rows) - len(set(rows)) > 0


def test_hostile_values_present_and_located(parsed, truth_file):
    header, records, _ = parsed
    by_line = {n: f for n, _, f in records}
    for kind, values in (("html", HTML_VALUES), ("formula", FORMULA_VALUES)):
        found = set()
        for ln in truth_file["hostile"][kind]:
            found |= {v for v in values if v in by_line[ln]}
        assert found == set(values), kind
    (ln,) = truth_file["hostile"]["long_field"][:1]
    assert max(len(v) for v in by_line[ln]) == LONG_FIELD_CHARS


def test_labels_file(dump, parsed, truth_file):
    path, _ = dump
    labels = pl.read_csv(Path(str(path) + ".labels.csv"), infer_schema=False)
    _, records, _ = parsed
    assert labels["source_line"].cast(pl.Int64).to_list() == [n for n, _, _ in records]
    assert labels.columns[:2] == ["source_line", "person_id"]
    assert labels["person_id"].n_unique() == truth_file["persons"]["distinct"]
    hiv_pos = labels.filter(pl.col("hiv") == "positive").height
    assert hiv_pos == truth_file["sensitive"]["hiv"]["positive"]["rows"]
    arv = labels.filter(pl.col("medication_class") == "antiretroviral")
    assert (arv["hiv"] == "positive").all() and (arv["medication"] == "positive").all()
    for cat, quals in truth_file["sensitive"].items():
        for q, c in quals.items():
            assert labels.filter(pl.col(cat) == q).height == c["rows"], (cat, q)


def test_determinism(tmp_path, dump):
    path, truth = dump
    a = tmp_path / "a.csv"
    again = generate(a, rows=5000, seed=20210223)
    assert again["file"]["sha256"] == truth["file"]["sha256"]
    assert a.read_bytes() == path.read_bytes()
    b = tmp_path / "b.csv"
    other = generate(b, rows=5000, seed=7, labels=False)
    assert other["file"]["sha256"] != truth["file"]["sha256"]
    assert not Path(str(b) + ".labels.csv").exists()


def test_cli(tmp_path, capsys):
    out = tmp_path / "c.csv"
    assert (
        main(["--rows", "1500", "--seed", "3", "--out", str(out), "--rows-per-person", "2"]) == 0
    )
    truth = json.loads(Path(str(out) + ".truth.json").read_text("utf-8"))
    assert truth["generator"] == {"version": truth["generator"]["version"], "seed": 3,
                                  "rows_requested": 1500, "rows_per_person": 2}  # fmt: skip
    assert truth["persons"]["distinct"] < 0.75 * truth["records"]["loaded"]
    assert truth["lines"]["loaded_records"] + truth["lines"]["quarantined_lines"] == 1500
    assert main(["--rows", "10", "--out", str(out)]) == 2
    assert "records" in capsys.readouterr().out


@pytest.mark.parametrize(("rows", "seed", "rpp"), [(300, 1, 1), (700, 2, 3), (1200, 3, 1)])
def test_small_dumps_parse_as_the_truth_says(tmp_path, rows, seed, rpp):
    path = tmp_path / "d.csv"
    truth = generate(path, rows=rows, seed=seed, rows_per_person=rpp)
    _, records, quarantine = parse(path.read_bytes())
    expected = sorted((ln, r) for r, lines in truth["malformed"].items() for ln in lines)
    assert sorted(quarantine) == expected
    assert len(records) == truth["records"]["loaded"]
    assert len(records) + len(quarantine) == rows
    assert sum(n for _, n, _ in records) == truth["lines"]["loaded_lines"]
