"""The redaction gate: small counts, escaping, masking only when raised explicitly."""

from __future__ import annotations

import polars as pl
import pytest

from dumpscope.errors import ParameterError
from dumpscope.report import redact


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, 0), (1, "< 10"), (9, "< 10"), (10, 10), (491840, 491840), (None, None)],
)
def test_suppress(count, expected):
    assert redact.suppress(count, 10) == expected


def test_suppress_rejects_bad_k():
    for k in (0, -1, 2.5, True, "10"):
        with pytest.raises(ParameterError):
            redact.suppress(3, k)


def test_suppress_frame():
    frame = pl.DataFrame(
        {"dep": ["56", "2A", "45"], "persons": [1000, 3, 0], "rows": [None, 12, 9]}
    )
    out = redact.suppress_frame(frame, ["persons", "rows"], 10)
    assert out["persons"].to_list() == ["1000", "< 10", "0"]
    assert out["rows"].to_list() == [None, "12", "< 10"]
    assert out["dep"].to_list() == ["56", "2A", "45"]


def test_drop_small():
    frame = pl.DataFrame({"c": ["a", "b", "c"], "n": [0, 5, 50]})
    assert redact.drop_small(frame, "n", 10)["c"].to_list() == ["a", "c"]


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>document.title='PWNED'</script>",
        '<img src=x onerror="alert(1)">',
        '"><svg onload=alert(1)>',
        "' onmouseover='x",
    ],
)
def test_escape_neutralizes_markup(hostile):
    out = redact.escape(hostile)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert redact.escape(None) == ""


def test_mask_refused_at_default_level():
    with pytest.raises(ParameterError, match="masked_examples"):
        redact.mask("nir", "1 84 12 75 115 423 57")
    with pytest.raises(ParameterError):
        redact.mask("nir", "x", redaction_level="everything")


def test_mask_at_masked_examples_level():
    lvl = {"redaction_level": "masked_examples"}
    nir = redact.mask("nir", "1 84 12 75 115 423 57", **lvl)
    assert nir.startswith("1") and "84" not in nir and "57" not in nir
    assert redact.mask("email", "jean.dupont@example.fr", **lvl) == "•••@example.fr"
    assert redact.mask("mobile", "06 12 34 56 78", **lvl).endswith("78")
    assert "12" not in redact.mask("mobile", "06 12 34 56 78", **lvl)
    assert redact.mask("usage_name", "Dupont", **lvl) == "D••••"
    assert redact.mask("password", "secret123", **lvl) == "[•••]"
    assert redact.mask("comment", "séropositif", **lvl) == "[•••]"
    assert "<" not in redact.mask("usage_name", "<script>", **lvl)
