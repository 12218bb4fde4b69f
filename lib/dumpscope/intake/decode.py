"""Encoding detection and transcoding to UTF-8, line by line where bytes do not decode.

Strict UTF-8 is tried first (a single-byte code page never fails, so trying it first would turn
UTF-8 into mojibake silently); charset-normalizer gives a second opinion and a confidence for
single-byte code pages. Lines that do not decode are flagged, never repaired.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer
import numpy as np

from dumpscope.errors import IntakeError
from dumpscope.intake.lines import find_byte, line_bounds

_CHUNK = 1 << 20
_SAMPLE_LINES = 5_000
_PROBE = "\n\r;,\t|\"' azAZ09\x00"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Western single-byte code pages charset-normalizer may choose between.
_SINGLE_BYTE = ["cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman"]


@dataclass
class Decoded:
    """The dump as UTF-8, with per-line decodability.

    Attributes
    ----------
    encoding
        Reported encoding (Python codec name, e.g. ``utf-8``, ``utf-8-sig``, ``cp1252``).
    confidence
        0..1, or None when the encoding was forced.
    evidence
        One sentence saying why.
    text
        UTF-8 bytes of the dump (BOM removed; a ``bytearray`` when transcoded, read-only by
        convention); same number of physical lines as ``raw``.
    raw
        Bytes whose lines are the quarantine's ``raw`` values (the payload itself, or its UTF-8
        transcoding for UTF-16/32 evidence, see ``raw_is_transcoded``).
    raw_is_transcoded
        True when ``raw`` is not the evidence bytes (UTF-16/32 input).
    undecodable
        bool per physical line.
    """

    encoding: str
    confidence: float | None
    evidence: str
    text: bytes | bytearray
    raw: bytes
    raw_is_transcoded: bool
    undecodable: np.ndarray


def codec_name(name: str) -> str:
    """Canonical Python codec name, or IntakeError for an unknown one."""
    try:
        return codecs.lookup(name).name
    except LookupError as exc:
        raise IntakeError(
            f"Unknown encoding {name!r}: give a Python codec name such as "
            "'utf-8', 'cp1252' or 'latin-1'."
        ) from exc


def ascii_compatible(codec: str) -> bool:
    """True when ASCII control and punctuation bytes mean the same in ``codec``."""
    try:
        return codecs.encode(_PROBE, codec) == _PROBE.encode("ascii")
    except (UnicodeError, LookupError, TypeError):
        return False


def _chunk_cuts(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Runs of whole lines ``[a, b)`` of about :data:`_CHUNK` bytes each."""
    targets = np.arange(_CHUNK, int(ends[-1]) + _CHUNK, _CHUNK)
    cuts = np.unique(np.concatenate([[0], np.searchsorted(ends, targets, side="left") + 1]))
    cuts = np.clip(cuts, 0, len(ends))
    cuts = np.unique(np.append(cuts, len(ends)))
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True))


def transcode(
    work: bytes, codec: str, starts: np.ndarray, ends: np.ndarray
) -> tuple[bytes | bytearray, np.ndarray]:
    """Decode an ASCII-compatible buffer strictly and re-encode it as UTF-8.

    Decodes chunks of whole lines; a chunk that fails is redone line by line, and each failing
    line is flagged and decoded with U+FFFD replacements (the line will be quarantined). Each
    chunk is appended to one growing buffer as soon as it is re-encoded, so the only large
    allocations are the input and the output (a list of chunks joined at the end held the text
    twice, and glibc kept the freed chunks: +2.3 GB at 4.9 M rows).

    Parameters
    ----------
    work
        Bytes (BOM already removed).
    codec
        ASCII-compatible codec.
    starts, ends
        Physical line bounds of ``work``.

    Returns
    -------
    (text, undecodable)
        UTF-8 bytes with the same line structure (``work`` itself when it is valid UTF-8, else
        a new ``bytearray``; treat it as read-only), and a bool per line.
    """
    bad = np.zeros(len(starts), dtype=bool)
    if len(starts) == 0:
        return b"", bad
    view = memoryview(work)
    cuts = _chunk_cuts(starts, ends)
    if codec == "utf-8":
        try:
            for a, b in cuts:
                codecs.decode(view[int(starts[a]) : int(ends[b - 1])], "utf-8")
            return work, bad
        except UnicodeDecodeError:
            pass
    out = bytearray()
    for a, b in cuts:
        lo, hi = int(starts[a]), int(ends[b - 1])
        try:
            out += codecs.decode(view[lo:hi], codec).encode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        for i in range(a, b):
            line = view[int(starts[i]) : int(ends[i])]
            try:
                out += codecs.decode(line, codec).encode("utf-8")
            except UnicodeDecodeError:
                bad[i] = True
                out += codecs.decode(line, codec, "replace").encode("utf-8")
    return out, bad


def _sample_lines(buf: bytes, starts: np.ndarray, ends: np.ndarray) -> list[bytes]:
    n = len(starts)
    idx = np.unique(np.linspace(0, n - 1, num=min(n, _SAMPLE_LINES)).astype(np.int64)) if n else []
    return [buf[int(starts[i]) : int(ends[i])] for i in idx]


def _fails(line: bytes, codec: str) -> bool:
    try:
        line.decode(codec)
        return False
    except UnicodeDecodeError:
        return True


def _looks_utf16(head: bytes) -> tuple[str, float] | None:
    """UTF-16 without BOM: ASCII text leaves a NUL in every other byte."""
    if len(head) < 4:
        return None
    arr = np.frombuffer(head[: len(head) // 2 * 2], dtype=np.uint8)
    even, odd = (arr[0::2] == 0).mean(), (arr[1::2] == 0).mean()
    if odd > 0.6 and even < 0.05:
        return "utf-16-le", float(odd)
    if even > 0.6 and odd < 0.05:
        return "utf-16-be", float(even)
    return None


def check_not_binary(data: bytes) -> None:
    """Refuse data that is plainly not text (many control bytes at the start).

    Raises
    ------
    IntakeError
        When more than 10 % of the first 64 KiB are control bytes other than tab/LF/CR/FF/VT.
    """
    head = np.frombuffer(data[:65536], dtype=np.uint8)
    if len(head) == 0:
        return
    control = ((head < 9) | ((head > 13) & (head < 32)) | (head == 127)).mean()
    if control > 0.10:
        raise IntakeError(
            f"Evidence looks like a binary file ({control:.0%} control bytes in its first "
            f"{len(head)} bytes), not a delimited text dump."
        )


def _single_byte_choice(nonascii: list[bytes]) -> tuple[str, float, str]:
    cp_bad = sum(_fails(line, "cp1252") for line in nonascii)
    share_ok = 1 - cp_bad / max(len(nonascii), 1)
    codec = "cp1252" if cp_bad <= 0.01 * len(nonascii) else "latin-1"
    sample = b"".join(nonascii[:400])[:16384]
    opinion = ""
    quality = 1.0
    try:
        best = charset_normalizer.from_bytes(sample, cp_isolation=_SINGLE_BYTE).best()
    except Exception:  # charset-normalizer is advisory only
        best = None
    if best is not None:
        cn = codec_name(best.encoding)
        quality = max(0.0, 1.0 - float(best.chaos))
        agree = cn in (codec_name(codec), "cp1252", "iso8859-1", "iso8859-15")
        opinion = f"; charset-normalizer proposes {cn} (chaos {best.chaos:.2f})"
        if not agree:
            quality *= 0.7
    if codec == "cp1252":
        conf = share_ok * quality
    else:
        conf = quality * 0.8
    evidence = f"not UTF-8; {share_ok:.1%} of sampled non-ASCII lines decode as cp1252{opinion}"
    return codec, round(float(conf), 4), evidence


def decode_payload(data: bytes, forced: str | None = None) -> Decoded:
    """Choose the encoding (or use the forced one) and transcode the dump to UTF-8.

    Parameters
    ----------
    data
        The dump bytes.
    forced
        Python codec name given by the analyst, or None to detect.

    Returns
    -------
    Decoded

    Raises
    ------
    IntakeError
        Unknown or unusable forced encoding; binary data.
    """
    bom_enc = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if forced is not None:
        codec = codec_name(forced)
        if codec in ("utf-8", "utf-8-sig"):
            codec = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        if ascii_compatible(codec) or codec == "utf-8-sig":
            check_not_binary(data)
        return _decode_with(data, codec, None, f"forced by the analyst ({forced})")
    if bom_enc is not None:
        return _decode_with(data, bom_enc, 1.0, "byte-order mark")
    u16 = _looks_utf16(data[:65536])
    if u16 is not None:
        return _decode_with(data, u16[0], round(u16[1], 4), "NUL byte in every other position")
    check_not_binary(data)
    starts, ends = line_bounds(data)
    sample = _sample_lines(data, starts, ends)
    nonascii = [line for line in sample if not line.isascii()]
    if len(nonascii) < 20:
        # Too little evidence in the sample: look at every line.
        text, bad = transcode(data, "utf-8", starts, ends)
        if not bad.any():
            note = "strict UTF-8 decodes every line"
            if data.isascii():
                note = "pure ASCII (decodes identically in UTF-8 and the Western code pages)"
            return Decoded("utf-8", 1.0, note, text, data, False, bad)
        nonascii = [
            data[int(s) : int(e)]
            for s, e in zip(starts, ends, strict=True)
            if not data[int(s) : int(e)].isascii()
        ]
        n_bad = int(bad.sum())
        if n_bad <= 0.2 * len(nonascii):
            conf = round(1 - n_bad / len(nonascii), 4)
            return Decoded(
                "utf-8",
                conf,
                f"strict UTF-8; {n_bad} line(s) do not decode",
                text,
                data,
                False,
                bad,
            )
    else:
        u8_bad = sum(_fails(line, "utf-8") for line in nonascii)
        ratio = u8_bad / len(nonascii)
        if ratio <= 0.2:
            text, bad = transcode(data, "utf-8", starts, ends)
            note = (
                f"strict UTF-8 decodes {1 - ratio:.1%} of sampled non-ASCII lines"
                if u8_bad
                else "strict UTF-8 decodes every sampled line"
            )
            return Decoded("utf-8", round(1 - ratio, 4), note, text, data, False, bad)
    codec, conf, evidence = _single_byte_choice(nonascii)
    text, bad = transcode(data, codec, starts, ends)
    return Decoded(codec_name(codec), conf, evidence, text, data, False, bad)


def _decode_with(data: bytes, codec: str, confidence: float | None, why: str) -> Decoded:
    if codec == "utf-8-sig":
        work = data[len(codecs.BOM_UTF8) :]
        starts, ends = line_bounds(work)
        text, bad = transcode(work, "utf-8", starts, ends)
        return Decoded("utf-8-sig", confidence, why, text, data, False, bad)
    if ascii_compatible(codec):
        starts, ends = line_bounds(data)
        text, bad = transcode(data, codec, starts, ends)
        if confidence is None and len(bad) and bad.mean() > 0.5:
            why += f"; {bad.mean():.0%} of lines do not decode with it"
        return Decoded(codec, confidence, why, text, data, False, bad)
    # UTF-16 / UTF-32 and other codecs where ASCII bytes are not themselves: decode whole.
    try:
        chars = data.decode(codec)
        replaced = False
    except UnicodeDecodeError:
        chars = data.decode(codec, "replace")
        replaced = True
    except (LookupError, TypeError) as exc:
        raise IntakeError(f"Encoding {codec!r} cannot decode files.") from exc
    if chars.startswith("\ufeff"):
        chars = chars[1:]
    text = chars.encode("utf-8", "replace")
    starts, ends = line_bounds(text)
    bad = np.zeros(len(starts), dtype=bool)
    if replaced:
        for pos in _find_all(text, "\ufffd".encode()):
            bad[np.searchsorted(ends, pos, side="right")] = True
    if len(find_byte(data, 10)) >= 2 and len(starts) <= 1 or (len(bad) and bad.mean() > 0.5):
        raise IntakeError(
            f"The encoding {codec} does not fit this evidence (decoding it yields no line "
            "structure or mostly invalid text); try another encoding or let intake detect it."
        )
    return Decoded(
        codec, confidence, why + "; raw lines stored as UTF-8 transcoding", text, text, True, bad
    )


def _find_all(buf: bytes, needle: bytes) -> list[int]:
    out, pos = [], buf.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = buf.find(needle, pos + 1)
    return out
