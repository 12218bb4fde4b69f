"""A small, independent reader of the dump following docs/contracts.md §4 (test helper only)."""

from __future__ import annotations

import csv
import io


def physical_lines(data: bytes) -> list[bytes]:
    """Physical lines (each with its LF); a last unterminated non-empty chunk counts too."""
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _fields(text: str) -> list[str] | None:
    """Fields of one record's text, or None when a quote is left open."""
    try:
        rows = list(
            csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=True)
        )
    except csv.Error:
        return None
    if len(rows) != 1:
        return None
    return rows[0]


def parse(data: bytes, encoding: str = "cp1252"):
    """Return (header fields, records [(first_line, line_count, fields)], quarantine [(line, reason)])."""
    lines = physical_lines(data)
    header = lines[0].decode(encoding).rstrip("\r\n").split(";")
    width = len(header)
    records, quarantine = [], []
    i = 1
    while i < len(lines):
        raw = lines[i]
        no = i + 1
        if b"\x00" in raw:
            quarantine.append((no, "nul_byte"))
            i += 1
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            quarantine.append((no, "undecodable"))
            i += 1
            continue
        body = text.rstrip("\r\n")
        if body.strip() == "":
            quarantine.append((no, "blank_line"))
            i += 1
            continue
        f = _fields(body)
        if f is None:
            joined = body
            found = False
            for j in range(1, 51):
                if i + j >= len(lines):
                    break
                try:
                    nxt = lines[i + j].decode(encoding)
                except UnicodeDecodeError:
                    break
                joined = (
                    joined + "\n" + nxt.rstrip("\r\n")
                    if not text.endswith("\r\n")
                    else joined + "\r\n" + nxt.rstrip("\r\n")
                )
                f2 = _fields(joined)
                if f2 is not None:
                    if len(f2) == width:
                        records.append((no, j + 1, f2))
                        i += j + 1
                        found = True
                    break
            if not found:
                quarantine.append((no, "unbalanced_quote"))
                i += 1
            continue
        if len(f) > width:
            quarantine.append((no, "extra_fields"))
        elif len(f) < width:
            quarantine.append((no, "missing_fields"))
        else:
            records.append((no, 1, f))
        i += 1
    return header, records, quarantine
