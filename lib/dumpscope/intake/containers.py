"""Open the evidence read-only and unwrap common containers (.gz, .bz2, .xz, .zip).

The evidence itself is hashed by the caller; here each member of a container is listed and
hashed, and one member is chosen as the dump to parse.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dumpscope.errors import IntakeError
from dumpscope.intake.hashing import hash_bytes

#: Magic numbers of formats that are not a text dump, for a clear refusal message.
_FOREIGN_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (extract it first)"),
    (b"Rar!", "a RAR archive (extract it first)"),
    (b"SQLite format 3\x00", "an SQLite database (export a table to CSV first)"),
    (b"\xd0\xcf\x11\xe0", "an OLE2 document (old Excel/Word; export to CSV first)"),
    (b"PAR1", "a Parquet file"),
)
_TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab", ".dat", ".psv")


@dataclass(frozen=True)
class Payload:
    """The dump bytes to parse, and how they were obtained from the evidence.

    Attributes
    ----------
    data
        Bytes of the dump (the evidence itself, or the chosen container member).
    container
        ``"none"``, ``"gzip"``, ``"bzip2"``, ``"xz"`` or ``"zip"``.
    members
        One dict per container member: ``name, bytes, sha256, sha1, md5, selected`` (+ ``compressed_bytes``
        and ``modified`` for zip members). Empty for a plain file.
    """

    data: bytes
    container: str
    members: list[dict] = field(default_factory=list)


def read_evidence(path: Path) -> bytes:
    """Read the whole evidence file through a read-only descriptor (no access-time update if allowed).

    Parameters
    ----------
    path
        The evidence file.

    Returns
    -------
    bytes
        The file content.

    Raises
    ------
    IntakeError
        Missing file, a directory, not a regular file, unreadable, or empty.
    """
    if not path.exists():
        raise IntakeError(f"Evidence file not found: {path}")
    if path.is_dir():
        raise IntakeError(f"Evidence path is a directory, not a file: {path}")
    if not path.is_file():
        raise IntakeError(f"Evidence path is not a regular file: {path}")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    fd = None
    noatime = getattr(os, "O_NOATIME", 0)
    try:
        if noatime:
            try:
                fd = os.open(path, flags | noatime)
            except PermissionError:
                fd = None
        if fd is None:
            fd = os.open(path, flags)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = None
            data = handle.read()
    except OSError as exc:
        raise IntakeError(f"Evidence file cannot be read: {path} ({exc.strerror or exc})") from exc
    finally:
        if fd is not None:
            os.close(fd)
    if not data:
        raise IntakeError(f"Evidence file is empty (0 bytes): {path}")
    return data


def _gzip_member_name(data: bytes, fallback: str) -> str:
    """Original file name stored in a gzip header (FNAME), else ``fallback``."""
    if len(data) < 10 or not data[3] & 0x08:
        return fallback
    pos = 10
    if data[3] & 0x04 and len(data) >= 12:
        pos += 2 + int.from_bytes(data[10:12], "little")
    end = data.find(b"\x00", pos)
    if end < 0:
        return fallback
    return data[pos:end].decode("latin-1") or fallback


def _member(name: str, data: bytes, **extra) -> dict:
    return {"name": name, "bytes": len(data), **hash_bytes(data), **extra, "selected": True}


def unwrap(raw: bytes, name: str) -> Payload:
    """Recognise a container by its magic number and extract the dump from it.

    Parameters
    ----------
    raw
        The evidence bytes.
    name
        The evidence file name (used to name the member of single-stream compressors).

    Returns
    -------
    Payload
        The bytes to parse with container name and hashed member list.

    Raises
    ------
    IntakeError
        Corrupt or encrypted archive, empty archive, an XLSX workbook or another known
        non-text format.
    """
    stem = PurePosixPath(name).stem or name
    try:
        if raw[:2] == b"\x1f\x8b":
            data = gzip.decompress(raw)
            return Payload(data, "gzip", [_member(_gzip_member_name(raw, stem), data)])
        if raw[:3] == b"BZh":
            data = bz2.decompress(raw)
            return Payload(data, "bzip2", [_member(stem, data)])
        if raw[:6] == b"\xfd7zXZ\x00":
            data = lzma.decompress(raw)
            return Payload(data, "xz", [_member(stem, data)])
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
        raise IntakeError(f"Evidence looks compressed but cannot be decompressed: {exc}") from exc
    if raw[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _unzip(raw)
    for magic, what in _FOREIGN_MAGIC:
        if raw.startswith(magic):
            raise IntakeError(f"Evidence is {what}, not a delimited text dump.")
    return Payload(raw, "none", [])


def _unzip(raw: bytes) -> Payload:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise IntakeError(f"Evidence is a damaged ZIP archive: {exc}") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        names = {i.filename for i in infos}
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            raise IntakeError(
                "Evidence is an Excel workbook (XLSX), which intake does not read: "
                "export the sheet to CSV and keep the workbook's hash in the case file."
            )
        if not infos:
            raise IntakeError("Evidence is a ZIP archive with no file in it.")
        if any(i.flag_bits & 0x1 for i in infos):
            raise IntakeError("Evidence is an encrypted ZIP archive: decrypt it first.")
        members: list[dict] = []
        contents: list[bytes] = []
        for info in infos:
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, OSError, zlib.error, NotImplementedError) as exc:
                raise IntakeError(
                    f"ZIP member {info.filename!r} cannot be extracted: {exc}"
                ) from exc
            contents.append(data)
            members.append(
                {
                    "name": info.filename,
                    "bytes": len(data),
                    "compressed_bytes": info.compress_size,
                    "modified": "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}".format(
                        *info.date_time
                    ),
                    **hash_bytes(data),
                    "selected": False,
                }
            )
    textual = [k for k, m in enumerate(members) if m["name"].lower().endswith(_TEXT_SUFFIXES)]
    candidates = textual or list(range(len(members)))
    chosen = max(candidates, key=lambda k: (members[k]["bytes"], -k))
    members[chosen]["selected"] = True
    return Payload(contents[chosen], "zip", members)
