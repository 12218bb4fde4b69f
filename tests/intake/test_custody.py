"""Custody: hashes, read-only evidence, containers, bad inputs, atomic writes, verification."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import os
import zipfile
from pathlib import Path

import polars as pl
import pytest

from dumpscope.errors import IntakeError, IntegrityError
from dumpscope.intake import (
    custody_table,
    format_table,
    lines_table,
    quarantine_summary,
    read_record,
    read_working,
    run_intake,
    verify_evidence,
)

DUMP = "NOM;PRENOM\r\nDUPONT;Zoé\r\nMARTIN;Loïc\r\n\r\n".encode("cp1252")


def test_hashes_and_evidence_untouched(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    os.utime(ev, (1_600_000_000, 1_600_000_000))
    before = (hashlib.sha256(ev.read_bytes()).hexdigest(), ev.stat().st_mtime_ns)
    result = run_intake(ev, tmp_path / "work")
    after = (hashlib.sha256(ev.read_bytes()).hexdigest(), ev.stat().st_mtime_ns)
    assert before == after
    rec = result.record["evidence"]
    assert rec["sha256"] == hashlib.sha256(DUMP).hexdigest()
    assert rec["sha1"] == hashlib.sha1(DUMP).hexdigest()
    assert rec["md5"] == hashlib.md5(DUMP).hexdigest()
    assert rec["bytes"] == len(DUMP)
    assert rec["container"] == "none" and rec["members"] == []
    assert rec["mtime_utc"].startswith("2020-09-13T12:26:40")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump.csv", "work"]


def test_outputs_and_readers(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    work = tmp_path / "work"
    result = run_intake(ev, work)
    assert sorted(p.name for p in work.iterdir()) == [
        "intake.json",
        "quarantine.parquet",
        "working.parquet",
    ]
    assert read_record(work) == result.record
    working = read_working(work)
    assert working.schema == pl.Schema(
        {
            "nom": pl.String,
            "prenom": pl.String,
            "_source_line": pl.UInt64,
            "_line_count": pl.UInt32,
        }
    )
    q = pl.read_parquet(result.quarantine_path)
    assert q.schema == pl.Schema({"line": pl.UInt64, "reason": pl.String, "raw": pl.Binary})
    assert q.rows() == [(4, "blank_line", b"\r\n")]
    summary = quarantine_summary(result.record)
    assert summary.columns == ["reason", "count", "first_lines"]
    assert summary.filter(pl.col("reason") == "blank_line").row(0) == ("blank_line", 1, "4")
    assert summary["count"].sum() == 1
    assert format_table(result.record)["property"].to_list()[0] == "encoding"
    lt = lines_table(result.record)
    assert dict(lt.rows())["difference"] == 0
    ct = custody_table(result.record, verify_evidence(result.record))
    assert dict(ct.rows())["hashes unchanged"] == "yes"


def test_quarantine_summary_never_shows_raw_content(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(b"a;b\r\nSECRETNAME;1;2\r\n")
    result = run_intake(ev, tmp_path / "work")
    text = str(quarantine_summary(result.record).rows()) + str(result.record["quarantine"])
    assert "SECRETNAME" not in text


def test_verify_evidence_detects_a_change(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    result = run_intake(ev, tmp_path / "work")
    ok = verify_evidence(result.record)
    assert ok["match"] and ok["now"]["sha256"] == ok["intake"]["sha256"]
    ev.write_bytes(DUMP + b"x")
    bad = verify_evidence(result.record)
    assert not bad["match"] and "changed" in bad["error"]
    with pytest.raises(IntegrityError):
        verify_evidence(result.record, strict=True)
    ev.unlink()
    gone = verify_evidence(result.record)
    assert not gone["match"] and gone["now"] is None


@pytest.mark.parametrize(
    ("name", "pack", "container"),
    [
        ("dump.csv.gz", lambda b: gzip.compress(b), "gzip"),
        ("dump.csv.bz2", lambda b: bz2.compress(b), "bzip2"),
    ],
)
def test_single_stream_containers(tmp_path, name, pack, container):
    ev = tmp_path / name
    packed = pack(DUMP)
    ev.write_bytes(packed)
    rec = run_intake(ev, tmp_path / "work").record
    assert rec["evidence"]["container"] == container
    assert rec["evidence"]["sha256"] == hashlib.sha256(packed).hexdigest()
    (member,) = rec["evidence"]["members"]
    assert member["sha256"] == hashlib.sha256(DUMP).hexdigest()
    assert member["bytes"] == len(DUMP) and member["selected"]
    assert rec["lines"]["loaded_records"] == 2


def test_zip_members_hashed_and_listed(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", b"leaked by x")
        z.writestr("export/patients.csv", DUMP)
        z.writestr("notes.md", b"# notes\n" * 100)
    ev = tmp_path / "leak.zip"
    ev.write_bytes(buf.getvalue())
    rec = run_intake(ev, tmp_path / "work").record
    members = {m["name"]: m for m in rec["evidence"]["members"]}
    assert set(members) == {"readme.txt", "export/patients.csv", "notes.md"}
    assert members["export/patients.csv"]["selected"]
    assert not members["notes.md"]["selected"]
    assert members["readme.txt"]["sha256"] == hashlib.sha256(b"leaked by x").hexdigest()
    assert rec["lines"]["loaded_records"] == 2


def test_xlsx_is_refused_clearly(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", b"<x/>")
        z.writestr("xl/workbook.xml", b"<x/>")
    ev = tmp_path / "dump.xlsx"
    ev.write_bytes(buf.getvalue())
    with pytest.raises(IntakeError, match="XLSX"):
        run_intake(ev, tmp_path / "work")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 64, "binary"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x1f\x8bnot really gzip", "decompressed"),
        (b"\n\n \n", "blank"),
        (b"a;b\r1;2\r", "bare CR"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path, content, message):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(content)
    with pytest.raises(IntakeError, match=message):
        run_intake(ev, tmp_path / "work")
    assert not (tmp_path / "work").exists() or not any((tmp_path / "work").iterdir())


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(IntakeError, match="not found"):
        run_intake(tmp_path / "nope.csv", tmp_path / "work")
    with pytest.raises(IntakeError, match="directory"):
        run_intake(tmp_path, tmp_path / "work")


def test_wrong_forced_encoding_quarantines_undecodable_lines(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    rec = run_intake(ev, tmp_path / "work", encoding="utf-8").record
    assert rec["lines"]["loaded_records"] == 0
    assert rec["quarantine"]["by_reason"]["undecodable"] == {"count": 2, "lines": [2, 3]}
    assert rec["lines"]["reconciled"]


def test_wrong_forced_utf16_is_refused(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP * 10)
    with pytest.raises(IntakeError, match="does not fit"):
        run_intake(ev, tmp_path / "work", encoding="utf-16")


def test_atomic_write_leaves_nothing_on_failure(tmp_path, monkeypatch):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    work = tmp_path / "work"
    run_intake(ev, work)
    old = read_record(work)

    def boom(self, *a, **k):
        raise OSError("disk full")

    monkeypatch.setattr("dumpscope.intake.atomic.pq.write_table", boom)
    with pytest.raises(IntakeError, match="disk full"):
        run_intake(ev, work)
    assert sorted(p.name for p in work.iterdir()) == [
        "intake.json",
        "quarantine.parquet",
        "working.parquet",
    ]
    assert read_record(work) == old


def test_unwritable_work_folder_is_a_clear_error(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(IntakeError, match="work folder"):
        run_intake(ev, blocker / "work")


def test_readers_refuse_an_incomplete_folder(tmp_path):
    with pytest.raises(IntakeError, match="No completed intake"):
        read_working(tmp_path)


def test_evidence_cannot_be_overwritten_by_outputs(tmp_path):
    ev = tmp_path / "intake.json"
    ev.write_bytes(DUMP)
    with pytest.raises(IntakeError, match="overwrite"):
        run_intake(ev, tmp_path)
    assert ev.read_bytes() == DUMP


def test_paths_are_accepted_as_strings(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    result = run_intake(str(ev), str(tmp_path / "w"))
    assert isinstance(result.working_path, Path)


def test_reconciliation_mismatch_raises_integrity_error(tmp_path, monkeypatch):
    import dumpscope.intake.run as run_mod

    real = run_mod.plan_lines

    def lossy(*args, **kwargs):
        parsed = real(*args, **kwargs)
        parsed.q_lines = parsed.q_lines[:-1]  # lose one quarantined line
        parsed.q_reasons = parsed.q_reasons[:-1]
        return parsed

    monkeypatch.setattr(run_mod, "plan_lines", lossy)
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    with pytest.raises(IntegrityError, match="reconciliation"):
        run_intake(ev, tmp_path / "work")
    assert not (tmp_path / "work").exists()


def test_tables_in_the_report_language(tmp_path):
    ev = tmp_path / "dump.csv"
    ev.write_bytes(DUMP)
    result = run_intake(ev, tmp_path / "work")
    record, check = result.record, verify_evidence(result.record)
    fr = custody_table(record, check, lang="fr")
    assert fr.columns == ["Élément", "Valeur"]
    assert dict(fr.rows())["Empreintes inchangées"] == "oui"
    assert dict(fr.rows())["Conteneur"] == "(aucun)"
    assert dict(custody_table(record, check, lang="en").rows())["Hashes unchanged"] == "yes"
    fmt = format_table(record, lang="fr")
    assert fmt.columns == ["Propriété", "Valeur", "Confiance", "Imposé"]
    assert fmt.row(0)[0] == "Encodage des caractères" and fmt.row(0)[3] == "non"
    lines = dict(lines_table(record, lang="fr").rows())
    assert lines["Écart"] == 0 and lines["Lignes physiques"] == record["lines"]["physical"]
    q = quarantine_summary(record, lang="fr")
    assert q.columns == ["Motif", "Lignes écartées", "Premiers numéros de ligne"]
    assert "ligne vide" in q["Motif"].to_list()
    assert quarantine_summary(record, lang="en")["Reason"].to_list()[2] == "blank line"
