"""Format detection with confidences, and forced parameters."""

from __future__ import annotations

import codecs

import pytest

from dumpscope.errors import IntakeError

ROWS = ["Zoé;Hélène;Sœur", "Loïc;Maëlle;François", "Noël;Anaïs;Gwenaëlle"] * 10


def _dump(delim: str = ";", term: str = "\r\n") -> str:
    header = delim.join(["NOM", "PRENOM", "CIVILITE"])
    rows = [r.replace(";", delim) for r in ROWS]
    return term.join([header, *rows]) + term


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ],
)
def test_encodings_detected_and_decoded(take, encoding, bom, expected):
    t = take(bom + _dump().encode(encoding))
    fmt = t.record["format"]
    assert fmt["encoding"] == expected
    assert fmt["encoding_confidence"] >= 0.7
    assert t.rows()[0] == ("Zoé", "Hélène", "Sœur")
    assert [c["original"] for c in t.record["columns"]] == ["NOM", "PRENOM", "CIVILITE"]
    assert t.record["lines"]["loaded_records"] == 30


def test_utf16_without_bom(take):
    t = take(_dump().encode("utf-16-le"))
    assert t.record["format"]["encoding"] == "utf-16-le"
    assert t.rows()[1] == ("Loïc", "Maëlle", "François")


def test_utf8_wins_over_single_byte_and_bad_lines_are_flagged(take):
    good = _dump().encode("utf-8")
    t = take(good + "Zoé;Hélène;Bébé\r\n".encode("cp1252"))
    assert t.record["format"]["encoding"] == "utf-8"
    assert 0.7 < t.record["format"]["encoding_confidence"] < 1.0
    assert t.q() == [(32, "undecodable")]


def test_pure_ascii_reported_as_utf8(take):
    t = take(b"a;b\r\n1;2\r\n")
    assert t.record["format"]["encoding"] == "utf-8"
    assert t.record["format"]["encoding_confidence"] == 1.0


@pytest.mark.parametrize("delim", [";", ",", "\t", "|"])
def test_delimiters(take, delim):
    t = take(_dump(delim).encode("utf-8"))
    fmt = t.record["format"]
    assert fmt["delimiter"] == delim
    assert fmt["delimiter_confidence"] == 1.0
    assert t.rows()[0] == ("Zoé", "Hélène", "Sœur")


def test_delimiter_confidence_drops_with_ragged_lines(take):
    data = _dump() + "x;y\r\n" * 10
    t = take(data.encode("utf-8"))
    assert t.record["format"]["delimiter"] == ";"
    assert t.record["format"]["delimiter_confidence"] < 0.8


def test_quote_char_single_quote(take):
    t = take(b"a,b\n'x,y',1\n'z',2\n")
    assert t.record["format"]["quotechar"] == "'"
    assert t.rows() == [("x,y", "1"), ("z", "2")]


def test_quote_default_when_no_quotes_seen(take):
    t = take(b"a;b\n1;2\n")
    assert t.record["format"]["quotechar"] == '"'
    assert t.record["format"]["quotechar_confidence"] == 0.5


def test_line_terminators(take):
    t = take(_dump(term="\n").encode())
    assert (
        t.record["format"]["line_terminator"],
        t.record["format"]["line_terminator_confidence"],
    ) == ("\n", 1.0)
    mixed = ("a;b\r\n" + "1;2\r\n" * 3 + "3;4\n").encode()
    t = take(mixed)
    assert t.record["format"]["line_terminator"] == "\r\n"
    assert t.record["format"]["line_terminator_confidence"] == 0.8


def test_header_banner_is_skipped(take):
    data = "Export LIS 12/02/2021\r\n" + _dump()
    t = take(data.encode("utf-8"))
    assert t.record["format"]["header_row"] == 2
    assert t.record["lines"]["header"] == 2
    assert t.record["lines"]["loaded_records"] == 30


def test_numeric_first_line_means_no_header(take):
    t = take(b"1;2;3\r\n4;5;6\r\n7;8;9\r\n")
    assert t.record["format"]["header_row"] == 0
    assert t.record["lines"]["loaded_records"] == 3


def test_forced_values_are_recorded_without_confidence(take):
    t = take(
        _dump().encode("cp1252"), encoding="cp1252", delimiter=";", quotechar="", header_row=1
    )
    fmt = t.record["format"]
    assert fmt["forced"] == ["encoding", "delimiter", "quotechar", "header_row"]
    assert fmt["encoding_confidence"] is None and fmt["delimiter_confidence"] is None
    assert fmt["quotechar"] == ""


@pytest.mark.parametrize("none", ["", "none"])
def test_forced_no_quoting_keeps_quotes_as_data(take, none):
    t = take(b'a;b\n"x";1\n', quotechar=none)
    assert t.rows() == [('"x"', "1")]
    assert t.record["format"]["quotechar"] == ""


def test_bad_forced_parameters(take):
    with pytest.raises(IntakeError, match="Unknown encoding"):
        take(b"a;b\n1;2\n", encoding="klingon")
    with pytest.raises(IntakeError, match="delimiter"):
        take(b"a;b\n1;2\n", delimiter=";;")
    with pytest.raises(IntakeError, match="header_row"):
        take(b"a;b\n1;2\n", header_row=-1)
    with pytest.raises(IntakeError, match="past the end"):
        take(b"a;b\n1;2\n", header_row=9)


def test_quote_delimiter_never_equals_the_quote(take):
    t = take(b'a"b\n1"2\n', delimiter='"')
    assert t.record["format"]["quotechar"] == "'"
    assert t.rows() == [("1", "2")]


def test_non_ascii_delimiter_or_quote_refused(take):
    with pytest.raises(IntakeError, match="ASCII"):
        take(b"a;b\n1;2\n", delimiter="\u00a7")
    with pytest.raises(IntakeError, match="ASCII"):
        take(b"a;b\n1;2\n", quotechar="\u00ab")
