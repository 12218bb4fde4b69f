"""Custody hashes: SHA-256, SHA-1 and MD5 of the evidence bytes, computed side by side."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ALGORITHMS: tuple[str, ...] = ("sha256", "sha1", "md5")
_BLOCK = 1 << 24


def hash_bytes(data: bytes | memoryview) -> dict[str, str]:
    """Hash a buffer with every custody algorithm, one thread per algorithm.

    ``hashlib`` releases the GIL on large buffers, so the three digests run in parallel and
    can overlap with other work started by the caller.

    Parameters
    ----------
    data
        The bytes to hash.

    Returns
    -------
    dict
        ``{"sha256": hex, "sha1": hex, "md5": hex}``.
    """
    view = memoryview(data)

    def one(name: str) -> str:
        h = hashlib.new(name)
        for start in range(0, len(view), _BLOCK):
            h.update(view[start : start + _BLOCK])
        return h.hexdigest()

    with ThreadPoolExecutor(max_workers=len(ALGORITHMS)) as pool:
        digests = list(pool.map(one, ALGORITHMS))
    return dict(zip(ALGORITHMS, digests, strict=True))


def hash_file(path: Path) -> dict[str, str | int]:
    """Re-read a file from disk (read-only, streamed) and hash it.

    Each block is hashed by the three algorithms in parallel threads (``hashlib`` releases the
    GIL on large buffers): the time is that of the slowest digest (MD5), not of the three.

    Parameters
    ----------
    path
        File to hash.

    Returns
    -------
    dict
        ``{"bytes": int, "sha256": hex, "sha1": hex, "md5": hex}``.
    """
    hashers = {name: hashlib.new(name) for name in ALGORITHMS}
    size = 0
    with (
        open(path, "rb") as handle,
        ThreadPoolExecutor(max_workers=len(ALGORITHMS)) as pool,
    ):
        while block := handle.read(_BLOCK):
            size += len(block)
            for done in [pool.submit(h.update, block) for h in hashers.values()]:
                done.result()
    return {"bytes": size, **{name: h.hexdigest() for name, h in hashers.items()}}
