"""The line rules of docs/contracts.md §4, each on a small hand-made dump."""

from __future__ import annotations

import pytest

from dumpscope.errors import IntakeError

H = b"a;b;c\r\n"


def test_plain_records_line_numbers_and_reconciliation(take):
    t = take(H + b"1;2;3\r\n4;5;6\r\n")
    assert t.rows() == [("1", "2", "3"), ("4", "5", "6")]
    assert t.working["_source_line"].to_list() == [2, 3]
    assert t.working["_line_count"].to_list() == [1, 1]
    lines = t.record["lines"]
    assert lines == {
        "physical": 3,
        "header": 1,
        "loaded_records": 2,
        "loaded_lines": 2,
        "quarantined_lines": 0,
        "multiline_records": 0,
        "reconciled": True,
    }


def test_empty_string_stays_empty_string(take):
    t = take(H + b';;\r\n"";x;""\r\n')
    assert t.rows() == [("", "", ""), ("", "x", "")]
    assert t.working.null_count().sum_horizontal().item() == 0


def test_lf_only_and_unterminated_last_line(take):
    t = take(b"a;b;c\n1;2;3\n4;5;6")
    assert t.rows() == [("1", "2", "3"), ("4", "5", "6")]
    assert t.record["lines"]["physical"] == 3
    assert t.record["format"]["line_terminator"] == "\n"


def test_quoted_delimiter_doubled_quote_and_multiline_field(take):
    data = H + b'1;"x;y";"he said ""hi"""\r\n2;"line one\r\nline two\r\n\r\nend";z\r\n3;4;5\r\n'
    t = take(data)
    assert t.rows() == [
        ("1", "x;y", 'he said "hi"'),
        ("2", "line one\r\nline two\r\n\r\nend", "z"),
        ("3", "4", "5"),
    ]
    assert t.working["_source_line"].to_list() == [2, 3, 7]
    assert t.working["_line_count"].to_list() == [1, 4, 1]
    assert t.record["lines"]["loaded_lines"] == 6
    assert t.record["lines"]["multiline_records"] == 1
    assert t.q() == []


def test_quote_inside_unquoted_field_is_literal(take):
    t = take(H + b'O"Brien;2;3\r\n')
    assert t.rows() == [('O"Brien', "2", "3")]


def test_each_fault_kind_with_its_reason_and_raw_bytes(take):
    data = (
        H
        + b"1;2;3\r\n"  # 2 loaded
        + b"1;2\r\n"  # 3 missing_fields
        + b"1;2;3;4\r\n"  # 4 extra_fields
        + b"\r\n"  # 5 blank_line
        + b"  \t\r\n"  # 6 blank_line (whitespace only)
        + b"1;\x002;3\r\n"  # 7 nul_byte
        + b"1;\xff;3\r\n"  # 8 undecodable (file is UTF-8)
        + b'1;"open;3\r\n'  # 9 unbalanced_quote (never closes)
        + b'1;"x"y;3\r\n'  # 10 unbalanced_quote (text after the closing quote)
        + "é;ü;ß\r\n".encode()  # 11 loaded
    )
    t = take(data, encoding="utf-8")
    assert t.q() == [
        (3, "missing_fields"),
        (4, "extra_fields"),
        (5, "blank_line"),
        (6, "blank_line"),
        (7, "nul_byte"),
        (8, "undecodable"),
        (9, "unbalanced_quote"),
        (10, "unbalanced_quote"),
    ]
    assert t.quarantine["raw"].to_list()[0] == b"1;2\r\n"
    assert t.quarantine["raw"].to_list()[5] == b"1;\xff;3\r\n"
    assert t.working["_source_line"].to_list() == [2, 11]
    by = t.record["quarantine"]["by_reason"]
    assert by["blank_line"] == {"count": 2, "lines": [5, 6]}
    assert t.record["lines"]["reconciled"]


def test_reason_order_nul_before_quote_and_count(take):
    t = take(H + b'"\x00;1\r\n1;2;3\r\n', encoding="utf-8")
    assert t.q() == [(2, "nul_byte")]


def test_trailing_blank_line_at_end_of_file(take):
    t = take(H + b"1;2;3\r\n\r\n")
    assert t.q() == [(3, "blank_line")]
    assert t.record["lines"]["physical"] == 3


def test_unbalanced_quote_restarts_on_next_line(take):
    # line 2 opens a quote; the join with lines 3-4 has the wrong count -> line 2 alone.
    data = H + b'1;"a;b\r\n4;5;6\r\n7;"8";9\r\n'
    t = take(data)
    assert t.q() == [(2, "unbalanced_quote")]
    assert t.working["_source_line"].to_list() == [3, 4]
    assert t.rows() == [("4", "5", "6"), ("7", "8", "9")]


def test_multiline_join_needs_exact_field_count(take):
    # closes on line 3 and the joined text has 3 fields -> one record of 2 lines
    t = take(H + b'1;"a\r\nb";c\r\n')
    assert t.rows() == [("1", "a\r\nb", "c")]
    # closes on line 3 but the joined text has 4 fields -> line 2 quarantined, line 3 alone
    # (where the quote after "b" is not at a field start, so it is a literal character)
    t = take(H + b'1;"a\r\nb";c;d\r\n')
    assert t.q() == [(2, "unbalanced_quote")]
    assert t.rows() == [('b"', "c", "d")]


def test_fifty_line_limit(take):
    def dump(span: int) -> bytes:
        inner = b"\r\n".join(b"x" for _ in range(span))  # span physical lines
        return H + b'1;"' + inner + b'";3\r\n'

    ok = take(dump(50), delimiter=";")
    assert ok.record["lines"]["loaded_records"] == 1
    assert ok.working["_line_count"].to_list() == [50]
    too_long = take(dump(51), delimiter=";")
    assert too_long.q()[0] == (2, "unbalanced_quote")
    assert too_long.record["lines"]["loaded_records"] == 0
    assert too_long.record["lines"]["reconciled"]


def test_continuation_cannot_cross_a_nul_line(take):
    t = take(H + b'1;"a\r\n\x00\r\nb";3\r\n', encoding="utf-8")
    assert t.q()[:2] == [(2, "unbalanced_quote"), (3, "nul_byte")]
    assert t.record["lines"]["reconciled"]


def test_bare_cr_inside_a_field_is_content(take):
    t = take(H + b"1;a\rb;3\r\n")
    assert t.rows() == [("1", "a\rb", "3")]


def test_hundred_thousand_character_field(take):
    long = "é" * 100_000
    t = take(H + f'1;"{long}";3\r\n2;{long};4\r\n'.encode("cp1252"))
    assert t.record["format"]["encoding"] == "cp1252"
    assert [len(v) for v in t.working["b"].to_list()] == [100_000, 100_000]


def test_header_with_preamble_and_no_header(take):
    t = take(b"Export du 12/02/2021\r\n" + H + b"1;2;3\r\n", header_row=2)
    assert t.record["lines"]["header"] == 2
    assert [c["name"] for c in t.record["columns"]] == ["a", "b", "c"]
    assert t.rows() == [("1", "2", "3")]
    t = take(b"1;2;3\r\n4;5;6\r\n", header_row=0)
    assert [c["name"] for c in t.record["columns"]] == ["column_1", "column_2", "column_3"]
    assert t.working["_source_line"].to_list() == [1, 2]


def test_undecodable_header_is_a_clear_error(take):
    with pytest.raises(IntakeError, match="header"):
        take(b"a;\xff;c\r\n1;2;3\r\n", encoding="utf-8")


def test_fast_and_slow_paths_agree():
    """The polars fast paths and the Python tokenizer give the same fields."""
    import numpy as np

    from dumpscope.intake.lines import line_bounds
    from dumpscope.intake.parse import parse_lines

    rows = [b'1;"x";""', b"1;x;", b'"a""b";"c;d";e', b";;", b'"";"";""']
    text = H + b"\r\n".join(rows) + b"\r\n"
    starts, ends = line_bounds(text)
    p = parse_lines(text, starts, ends, np.zeros(len(starts), bool), ";", '"', 1, 3)
    assert p.frame.drop("_source_line", "_line_count").rows() == [
        ("1", "x", ""),
        ("1", "x", ""),
        ('a"b', "c;d", "e"),
        ("", "", ""),
        ("", "", ""),
    ]


def test_no_quoting_with_bare_cr_keeps_file_order(take):
    t = take(H + b'1;"a;3\r\n4;x\ry;6\r\n7;8;9\r\n', quotechar="")
    assert t.rows() == [("1", '"a', "3"), ("4", "x\ry", "6"), ("7", "8", "9")]
    assert t.working["_source_line"].to_list() == [2, 3, 4]


def test_data_line_starting_with_a_bom_keeps_it(take):
    t = take(H + "\ufeffx;2;3\r\n4;5;6\r\n".encode())
    assert t.rows() == [("\ufeffx", "2", "3"), ("4", "5", "6")]


def test_header_only_file_has_no_records(take):
    t = take(H)
    assert t.record["lines"] == {
        "physical": 1,
        "header": 1,
        "loaded_records": 0,
        "loaded_lines": 0,
        "quarantined_lines": 0,
        "multiline_records": 0,
        "reconciled": True,
    }
    assert t.working.columns == ["a", "b", "c", "_source_line", "_line_count"]


def test_fully_quoted_export_reads_like_the_csv_module(take):
    import csv
    import io

    rows = [["NOM", "PRENOM", "COMMENTAIRE"]] + [
        [f"N{i}", "Zoé" if i % 2 else "", f'dit "ok"; suivi\r\nligne {i}' if i % 3 == 0 else "RAS"]
        for i in range(30)
    ]
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    t = take(out.getvalue().encode("cp1252"))
    expected = list(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=";"))[1:]
    assert [list(r) for r in t.rows()] == expected
    assert [c["original"] for c in t.record["columns"]] == rows[0]
    assert t.record["lines"]["multiline_records"] == 10
