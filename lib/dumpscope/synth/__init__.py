"""dumpscope.synth: the synthetic reference dump (a French clinical-lab export) and its truth.

``generate(out_path, *, rows=491_840, seed=20210223, rows_per_person=1, labels=True) -> dict``
writes ``out_path`` (cp1252, ``;``, CRLF), ``out_path.truth.json`` and ``out_path.labels.csv``
and returns the truth; ``main(argv)`` is the ``synth`` command line.
"""

from __future__ import annotations

from dumpscope.synth.cli import main
from dumpscope.synth.generator import generate

__all__ = ["generate", "main"]
