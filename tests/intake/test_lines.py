"""Physical lines, content ends and terminators."""

from __future__ import annotations

from dumpscope.intake.lines import content_ends, find_byte, line_bounds, terminator_counts


def _lines(buf: bytes) -> list[bytes]:
    starts, ends = line_bounds(buf)
    return [buf[s:e] for s, e in zip(starts, ends, strict=True)]


def test_lf_crlf_and_last_unterminated_line():
    assert _lines(b"a\nb\r\nc") == [b"a\n", b"b\r\n", b"c"]
    assert _lines(b"a\r\n") == [b"a\r\n"]
    assert _lines(b"a\r\n\r\n") == [b"a\r\n", b"\r\n"]
    assert _lines(b"") == []
    assert _lines(b"\n") == [b"\n"]


def test_content_ends_strip_one_terminator_only():
    buf = b"ab\r\ncd\nx\r\r\n\n"
    starts, ends = line_bounds(buf)
    c = content_ends(buf, starts, ends)
    assert [buf[s:e] for s, e in zip(starts, c, strict=True)] == [b"ab", b"cd", b"x\r", b""]


def test_terminator_counts():
    buf = b"a\r\nb\nc\r\nd\re"
    starts, ends = line_bounds(buf)
    assert terminator_counts(buf, starts, ends) == {"crlf": 2, "lf": 1, "none": 1, "bare_cr": 1}


def test_find_byte_across_chunks():
    buf = b"x" * (1 << 22) + b"\n" + b"y" * 10 + b"\n"
    assert find_byte(buf, 10).tolist() == [1 << 22, (1 << 22) + 11]
