"""Errors that dumpscope reports to the analyst as a clear message (no traceback at the CLI)."""

from __future__ import annotations


class DumpscopeError(Exception):
    """Base class: the message is meant for the analyst, in plain words."""


class IntakeError(DumpscopeError):
    """The evidence cannot be read (missing, empty, binary, a directory, wrong forced encoding...)."""


class ParameterError(DumpscopeError):
    """A notebook or run parameter is unknown, ill-typed or out of range."""


class IntegrityError(DumpscopeError):
    """A hash or a reconciliation does not match: the run must not go on."""
