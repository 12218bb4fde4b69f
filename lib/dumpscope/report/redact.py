"""The redaction gate: where figures become text, small counts are suppressed and text is escaped.

Every count, label or string that goes into a report file (HTML, SVG, CSV) passes through one of
these functions. The default redaction level, ``"aggregate"``, allows no record-level personal
data at all; ``"masked_examples"`` (raised explicitly by the analyst) allows masked examples via
:func:`mask`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from dumpscope.errors import ParameterError

#: Redaction levels, from the strictest (the default) to the most permissive.
REDACTION_LEVELS: tuple[str, ...] = ("aggregate", "masked_examples")
DEFAULT_LEVEL = "aggregate"


def check_level(redaction_level: str) -> str:
    """Return ``redaction_level`` if it is known, else raise :class:`ParameterError`."""
    if redaction_level not in REDACTION_LEVELS:
        raise ParameterError(
            f"redaction_level must be one of {', '.join(REDACTION_LEVELS)}; got {redaction_level!r}"
        )
    return redaction_level


def check_k(k: int) -> int:
    """Return ``k`` if it is a usable suppression threshold (an int >= 1), else raise."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ParameterError(f"k (suppression threshold) must be an integer >= 1; got {k!r}")
    return k


def suppressed_label(k: int) -> str:
    """The text shown instead of a suppressed count: ``"< k"``."""
    return f"< {check_k(k)}"


def is_small(count: Any, k: int) -> bool:
    """True when ``count`` is a positive number of items below ``k`` (0 is shown as 0)."""
    if count is None or isinstance(count, bool) or not isinstance(count, int | float):
        return False
    if isinstance(count, float) and math.isnan(count):
        return False
    return 0 < count < k


def suppress(count: int | None, k: int) -> int | str | None:
    """Return ``count``, or the string ``"< k"`` when ``0 < count < k``.

    Zero stays zero (stating that nothing was found re-identifies nobody); ``None`` stays
    ``None`` (not computed).
    """
    check_k(k)
    return suppressed_label(k) if is_small(count, k) else count


def suppress_frame(frame: pl.DataFrame, count_columns: Iterable[str], k: int) -> pl.DataFrame:
    """Replace counts below ``k`` by ``"< k"`` in ``count_columns``.

    Parameters
    ----------
    frame
        Any frame; the ``count_columns`` must be numeric.
    count_columns
        Columns holding counts of persons or rows.
    k
        Suppression threshold.

    Returns
    -------
    pl.DataFrame
        The same columns, ``count_columns`` cast to Utf8 (counts as plain digits, small ones as
        ``"< k"``, nulls kept).
    """
    label = suppressed_label(k)
    exprs = [
        pl.when((pl.col(c) > 0) & (pl.col(c) < k))
        .then(pl.lit(label))
        .otherwise(pl.col(c).cast(pl.Int64, strict=False).cast(pl.Utf8))
        .alias(c)
        for c in count_columns
    ]
    return frame.with_columns(exprs) if exprs else frame


def drop_small(frame: pl.DataFrame, count_column: str, k: int) -> pl.DataFrame:
    """Keep only rows whose ``count_column`` is 0 or >= ``k`` (for charts, which cannot show "< k").

    Returns the rows kept; callers state in words how many categories were left out.
    """
    check_k(k)
    return frame.filter(~((pl.col(count_column) > 0) & (pl.col(count_column) < k)))


def escape(text: Any) -> str:
    """HTML-escape any value for text or attribute context (``None`` -> ``""``)."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True)


def suppress_mapping(counts: Mapping[str, Any], k: int) -> dict[str, Any]:
    """Apply :func:`suppress` to every value of a flat ``{label: count}`` mapping."""
    return {key: suppress(value, k) for key, value in counts.items()}


_KEEP_FIRST = {"usage_name", "birth_name", "first_name", "city", "doctor_name", "login"}


def mask(role: str, value: Any, *, redaction_level: str = DEFAULT_LEVEL) -> str:
    """Mask one personal value so that an example can be shown, only at ``"masked_examples"``.

    Parameters
    ----------
    role
        The value's role (contracts §3), e.g. ``"nir"``, ``"email"``, ``"mobile"``, ``"usage_name"``.
    value
        The raw value.
    redaction_level
        Must be ``"masked_examples"``; at the default ``"aggregate"`` level a
        :class:`ParameterError` is raised, so no example can leak by accident.

    Returns
    -------
    str
        The masked, HTML-escaped value: a NIR keeps its sex digit only (``2 •• •• …``), an e-mail
        its domain, a phone its last two digits, a name its first letter; passwords, comments and
        free text are never shown (``[•••]``).
    """
    if check_level(redaction_level) != "masked_examples":
        raise ParameterError(
            "masked examples need redaction_level='masked_examples' (set explicitly by the analyst)"
        )
    if value is None or str(value).strip() == "":
        return ""
    text = str(value).strip()
    if role == "nir":
        digits = re.sub(r"\s", "", text)
        return escape(digits[:1] + "•" * (len(digits) - 1))
    if role == "email":
        _, _, domain = text.rpartition("@")
        return escape("•••@" + domain) if domain else "•••"
    if role in {"mobile", "landline"}:
        digits = re.sub(r"\D", "", text)
        return escape("•" * max(len(digits) - 2, 0) + digits[-2:])
    if role in _KEEP_FIRST:
        return escape(text[:1] + "•" * 4)
    if role in {"postcode", "doctor_postcode"}:
        return escape(text[:2] + "•••")
    return "[•••]"
