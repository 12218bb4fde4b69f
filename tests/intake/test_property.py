"""Property test: random corruption of valid dumps never crashes intake, never loses a line,
and gives exactly what a naive line-by-line reading of contracts §4 gives."""

from __future__ import annotations

import csv
import io
import string

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dumpscope.errors import IntakeError
from dumpscope.intake import run_intake

NCOLS = 4
_ALPHABET = string.ascii_letters + string.digits + ' ;"\r\n' + "éàœ€"


def _fields(s: str, d: str = ";", q: str = '"'):
    """Character-by-character reading of one record text: ('ok', fields) / ('open',) / ('bad',)."""
    fields, i, n = [], 0, len(s)
    while True:
        if i < n and s[i] == q:
            i += 1
            buf = []
            while True:
                if i >= n:
                    return ("open",)
                if s[i] == q:
                    if i + 1 < n and s[i + 1] == q:
                        buf.append(q)
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(s[i])
                i += 1
            fields.append("".join(buf))
            if i == n:
                return ("ok", fields)
            if s[i] != d:
                return ("bad",)
            i += 1
            if i == n:
                fields.append("")
                return ("ok", fields)
        else:
            j = s.find(d, i)
            if j < 0:
                fields.append(s[i:])
                return ("ok", fields)
            fields.append(s[i:j])
            i = j + 1
            if i == n:
                fields.append("")
                return ("ok", fields)


def reference(data: bytes, encoding: str, header_lines: int = 1):
    """Naive reading of contracts §4: (records [(line, count, fields)], quarantine [(line, reason)])."""
    raw = data.split(b"\n")
    lines = [x + b"\n" for x in raw[:-1]] + ([raw[-1]] if raw[-1] else [])
    if encoding == "utf-8-sig" and lines:
        lines[0] = lines[0][3:]
        encoding = "utf-8"

    def content(b: bytes) -> tuple[str, str]:
        t = b.decode(encoding, "replace")
        term = "\r\n" if t.endswith("\r\n") else ("\n" if t.endswith("\n") else "")
        return t[: len(t) - len(term)], term

    def decodable(b: bytes) -> bool:
        try:
            b.decode(encoding)
            return True
        except UnicodeDecodeError:
            return False

    records, quarantine = [], []
    i = header_lines
    while i < len(lines):
        b = lines[i]
        if b"\x00" in b:
            quarantine.append((i + 1, "nul_byte"))
        elif not decodable(b):
            quarantine.append((i + 1, "undecodable"))
        elif content(b)[0].strip(" \t\r\n\x0b\x0c") == "":
            quarantine.append((i + 1, "blank_line"))
        else:
            text, last = content(b)[0], i
            result = _fields(text)
            while result[0] == "open":
                nxt = last + 1
                if nxt >= len(lines) or nxt - i + 1 > 50:
                    break
                if b"\x00" in lines[nxt] or not decodable(lines[nxt]):
                    break
                text += content(lines[last])[1] + content(lines[nxt])[0]
                last = nxt
                result = _fields(text)
            if result[0] == "ok" and len(result[1]) == NCOLS:
                records.append((i + 1, last - i + 1, tuple(result[1])))
                i = last + 1
                continue
            if result[0] == "ok" and last == i:
                quarantine.append(
                    (i + 1, "extra_fields" if len(result[1]) > NCOLS else "missing_fields")
                )
            else:
                quarantine.append((i + 1, "unbalanced_quote"))
        i += 1
    return records, quarantine, len(lines)


cell = st.text(_ALPHABET, max_size=8)
rows = st.lists(st.lists(cell, min_size=NCOLS, max_size=NCOLS), min_size=1, max_size=12)
corruption = st.lists(
    st.tuples(
        st.sampled_from(
            ["truncate", "quote", "nul", "cp1252", "drop_delim", "add_delim", "blank", "cut_line"]
        ),
        st.integers(0, 10_000),
    ),
    max_size=5,
)


def _write(table: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\r\n")
    w.writerow(["A", "B", "C", "D"])
    w.writerows(table)
    return out.getvalue().encode(encoding, "replace")


def _corrupt(data: bytes, ops) -> bytes:
    head_end = data.index(b"\n") + 1
    head, body = data[:head_end], bytearray(data[head_end:])
    for op, k in ops:
        pos = k % (len(body) + 1)
        if op == "truncate":
            del body[pos:]
        elif op == "quote":
            body[pos:pos] = b'"'
        elif op == "nul":
            body[pos:pos] = b"\x00"
        elif op == "cp1252":
            body[pos:pos] = "é".encode("cp1252")
        elif op == "drop_delim":
            j = body.find(b";", pos)
            if j >= 0:
                del body[j]
        elif op == "add_delim":
            body[pos:pos] = b";"
        elif op == "blank":
            j = body.find(b"\n", pos)
            body[j + 1 : j + 1] = b"\r\n"
        elif op == "cut_line":
            body[pos:pos] = b"\r\n"
    return head + bytes(body)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=rows,
    ops=corruption,
    encoding=st.sampled_from(["utf-8", "cp1252"]),
    batch=st.integers(1, 5),
)
def test_corrupted_dumps_reconcile_and_match_the_reference(
    tmp_path_factory, table, ops, encoding, batch
):
    data = _corrupt(_write(table, encoding), ops)
    folder = tmp_path_factory.mktemp("prop")
    evidence = folder / "dump.csv"
    evidence.write_bytes(data)
    try:
        result = run_intake(
            evidence,
            folder / "work",
            delimiter=";",
            quotechar='"',
            header_row=1,
            batch_rows=batch,
        )
    except IntakeError as exc:
        assert str(exc)  # a clear message, never a traceback
        return
    rec = result.record
    lines = rec["lines"]
    assert lines["reconciled"]
    assert (
        lines["header"] + lines["loaded_lines"] + lines["quarantined_lines"] == lines["physical"]
    )
    working = pl.read_parquet(result.working_path)
    quarantine = pl.read_parquet(result.quarantine_path)
    records, q_ref, physical = reference(data, rec["format"]["encoding"])
    assert lines["physical"] == physical
    got = [(r[-2], r[-1], tuple(r[:-2])) for r in working.rows()]
    assert got == records
    assert (
        list(zip(quarantine["line"].to_list(), quarantine["reason"].to_list(), strict=True))
        == q_ref
    )
    # raw bytes are the evidence's own bytes
    physical_lines = data.split(b"\n")
    for line, raw in zip(quarantine["line"].to_list(), quarantine["raw"].to_list(), strict=True):
        assert raw.rstrip(b"\n") == physical_lines[line - 1]


@settings(max_examples=25, deadline=None)
@given(table=rows, ops=corruption, encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_detection_on_corrupted_dumps_never_crashes(tmp_path_factory, table, ops, encoding):
    data = _corrupt(_write(table, "utf-8"), ops)
    if encoding != "utf-8":
        data = data.decode("utf-8", "replace").encode(encoding, "replace")
    folder = tmp_path_factory.mktemp("detect")
    evidence = folder / "dump.csv"
    evidence.write_bytes(data)
    try:
        result = run_intake(evidence, folder / "work")
    except IntakeError as exc:
        assert str(exc)
        return
    lines = result.record["lines"]
    assert lines["reconciled"]
    assert (
        lines["header"] + lines["loaded_lines"] + lines["quarantined_lines"] == lines["physical"]
    )
