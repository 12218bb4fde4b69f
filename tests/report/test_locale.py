"""babel formatting: French by default, English on request; UTC and Europe/Paris times."""

from __future__ import annotations

import datetime as dt

import pytest

from dumpscope.errors import ParameterError
from dumpscope.report import locale

NNBSP = "\u202f"


def test_numbers():
    assert locale.number(491840) == f"491{NNBSP}840"
    assert locale.number(491840, "en") == "491,840"
    assert locale.number(5.0, "fr", digits=2) == "5,00"
    assert locale.number(5.0, "en", digits=2) == "5.00"
    assert locale.number("< 10") == "< 10"
    assert locale.number(None) == "—"


def test_percent_and_share():
    assert locale.percent(0.1234) == "12,3\u00a0%"
    assert locale.percent(0.1234, "en") == "12.3%"
    assert locale.share(1, 4, "en") == "25.0%"
    assert locale.share(1, 0) == "—"
    assert locale.share("< 10", 100) == "—"


def test_dates():
    assert locale.date("2020-10-03") == "3 octobre 2020"
    assert locale.date(dt.date(2020, 10, 3), "en") == "3 October 2020"
    assert locale.month("2015-01-02") == "janvier 2015"
    assert locale.month("2015-01-02", "en") == "January 2015"
    assert locale.date(None) == "—"


def test_instant_in_utc_and_paris():
    winter = locale.instant("2026-11-28T21:00:00+00:00")
    assert "21:00 UTC" in winter and "22:00 heure de Paris" in winter
    summer = locale.instant(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), "en")
    assert "12:00 UTC" in summer and "14:00 Paris time" in summer
    midnight = locale.instant("2026-11-28T23:30:00Z")
    assert "29 nov. 2026 00:30" in midnight  # the Paris date is given when it differs
    assert "UTC" in locale.instant("2026-11-28T21:00:00")  # naive = UTC


def test_unknown_language():
    with pytest.raises(ParameterError):
        locale.number(1, "de")
