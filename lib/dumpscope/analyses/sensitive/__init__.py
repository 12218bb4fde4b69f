"""Sensitive health data in French free text (comments and exam lists), contracts §6.

- :func:`detect` — per-row category qualifiers, medication class, ``any_health``;
- :func:`summarize` — the ``sensitive`` section (rows and persons per category and qualifier);
- :func:`evaluate` — precision / recall against per-row labels.
"""

from __future__ import annotations

from dumpscope.analyses.sensitive.detect import detect, summarize
from dumpscope.analyses.sensitive.evaluate import evaluate, labels_for, read_labels
from dumpscope.analyses.sensitive.lexicon import CATEGORIES, MEDICATION_CLASSES, QUALIFIERS

__all__ = [
    "CATEGORIES",
    "MEDICATION_CLASSES",
    "QUALIFIERS",
    "detect",
    "evaluate",
    "labels_for",
    "read_labels",
    "summarize",
]
