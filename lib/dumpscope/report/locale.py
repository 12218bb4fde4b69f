"""Numbers, percentages, dates and times in the report language's conventions (babel).

French is the default: ``491 840`` (narrow no-break space), ``12,3 %``, ``3 octobre 2020``;
English: ``491,840``, ``12.3%``, ``3 October 2020``. Times are given in UTC and Europe/Paris.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_decimal as _format_decimal
from babel.numbers import format_percent as _format_percent

from dumpscope.errors import ParameterError

#: Report language -> babel locale.
LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_GB"}
PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC


def babel_locale(lang: str) -> str:
    """The babel locale name for a report language (``fr`` or ``en``); unknown -> ParameterError."""
    try:
        return LOCALES[lang]
    except KeyError:
        raise ParameterError(f"lang must be one of {', '.join(LOCALES)}; got {lang!r}") from None


def number(value: int | float | None, lang: str = "fr", *, digits: int = 0) -> str:
    """Format a number with grouping (``491 840`` / ``491,840``); ``None`` -> ``"—"``.

    Strings (e.g. an already suppressed ``"< 10"``) are returned unchanged.
    """
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    loc = babel_locale(lang)
    if digits == 0 and float(value).is_integer():
        return _format_decimal(int(value), locale=loc)
    pattern = "#,##0." + "0" * max(digits, 1)
    return _format_decimal(value, format=pattern, locale=loc)


def percent(ratio: float | None, lang: str = "fr", *, digits: int = 1) -> str:
    """Format a ratio (0.123) as a percentage with ``digits`` decimals (``12,3 %`` / ``12.3%``)."""
    if ratio is None:
        return "—"
    loc = Locale.parse(babel_locale(lang))
    base = loc.percent_formats[None].pattern
    pattern = base
    if digits:
        # put the decimals on the last integer digit: "#,##0 %" -> "#,##0.0 %"
        head, sep, tail = base.rpartition("0")
        pattern = head + sep + "." + "0" * digits + tail
    return _format_percent(ratio, format=pattern, locale=loc)


def share(part: int | None, whole: int | None, lang: str = "fr", *, digits: int = 1) -> str:
    """``part / whole`` as a percentage, or ``"—"`` when either is missing or ``whole`` is 0."""
    if part is None or not whole or isinstance(part, str) or isinstance(whole, str):
        return "—"
    return percent(part / whole, lang, digits=digits)


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def date(value: dt.date | str | None, lang: str = "fr", *, fmt: str = "long") -> str:
    """Format a date (``date`` or ISO string) in the locale (``3 octobre 2020``); None -> ``"—"``."""
    if value is None or value == "":
        return "—"
    return _format_date(_as_date(value), format=fmt, locale=babel_locale(lang))


def month(value: dt.date | str | None, lang: str = "fr") -> str:
    """Format a month (``octobre 2020`` / ``October 2020``)."""
    if value is None or value == "":
        return "—"
    return _format_date(_as_date(value), format="LLLL y", locale=babel_locale(lang))


def parse_instant(value: dt.datetime | str) -> dt.datetime:
    """An aware datetime from a datetime or an ISO 8601 string (naive values are taken as UTC)."""
    instant = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def instant(value: dt.datetime | str | None, lang: str = "fr") -> str:
    """A moment in UTC and in Europe/Paris, e.g. ``28 nov. 2026 21:00 UTC (22:00 heure de Paris)``."""
    if value is None or value == "":
        return "—"
    moment = parse_instant(value)
    loc = babel_locale(lang)
    utc = _format_datetime(moment, "d MMM y HH:mm", tzinfo=UTC, locale=loc)
    paris = _format_datetime(moment, "HH:mm", tzinfo=PARIS, locale=loc)
    paris_day = moment.astimezone(PARIS).date() != moment.astimezone(UTC).date()
    if paris_day:
        paris = _format_datetime(moment, "d MMM y HH:mm", tzinfo=PARIS, locale=loc)
    where = "heure de Paris" if lang == "fr" else "Paris time"
    return f"{utc} UTC ({paris} {where})"
