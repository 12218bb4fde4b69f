"""Evidence intake: custody hashes, format detection, line-accurate parsing and quarantine.

Entry points (docs/contracts.md §4 and §8)::

    result = run_intake(evidence, work_dir)          # writes working.parquet, quarantine.parquet,
                                                     # intake.json into work_dir
    verify_evidence(result.record)                   # re-hash at the end of a run
    read_working(work_dir), read_record(work_dir)
    quarantine_summary(record), custody_table(record), format_table(record), lines_table(record)
"""

from __future__ import annotations

from dumpscope.intake.parse import REASONS
from dumpscope.intake.record import (
    custody_table,
    format_table,
    lines_table,
    quarantine_summary,
    read_record,
    read_working,
    verify_evidence,
)
from dumpscope.intake.run import IntakeResult, run_intake

__all__ = [
    "REASONS",
    "IntakeResult",
    "custody_table",
    "format_table",
    "lines_table",
    "quarantine_summary",
    "read_record",
    "read_working",
    "run_intake",
    "verify_evidence",
]
