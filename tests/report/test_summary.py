"""Summary HTML: escaped, suppressed, complete, deterministic; charts never draw counts < k."""

from __future__ import annotations

import html
import re

import pytest

from dumpscope import findings
from dumpscope.report import summary

from .sample_sections import HOSTILE

PRODUCED = "2026-11-28T21:00:00Z"


def _document(facts, lang="fr", k=10, params=None):
    parts = []
    for kind, item in summary.document(
        facts, params or {}, lang=lang, k=k, produced_at=PRODUCED, versions={"polars": "2.1.0"}
    ):
        parts.append(item if kind == "html" else f"<chart {kind}>")
    return "".join(parts)


def _cells(text: str) -> list[str]:
    """Value cells: every table cell but the first of its row (a label or a code)."""
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", text):
        out += [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)[1:]]
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_markup_from_the_dump(facts, lang):
    params = {"case_ref": "<b>2021/042</b>", "analyst": '"><script>alert(1)</script>'}
    text = _document(facts, lang, params=params)
    assert "<script" not in text.lower()
    assert "onerror=" not in text.replace("onerror=alert", "")  # only inside escaped text
    assert "<img" not in text
    assert "<b>2021/042</b>" not in text
    assert html.escape(HOSTILE, quote=True) in text  # the lab name is shown, escaped
    assert "&lt;b&gt;2021/042&lt;/b&gt;" in text


@pytest.mark.parametrize("k", [5, 10, 100])
def test_no_count_below_k_in_any_cell(facts, k):
    text = _document(facts, "en", k=k)
    for cell in _cells(text):
        digits = cell.replace(",", "").replace("\u202f", "").strip()
        if digits.isdigit():
            assert int(digits) == 0 or int(digits) >= k, cell
    assert f"&lt; {k}" in text


def test_all_sections_in_order_with_toc(facts):
    text = _document(facts)
    ids = re.findall(r'<section id="sec-([a-z]+)"', text)
    assert ids == ["summary", *[name for name, _ in summary.SECTIONS], "annexes"]
    for name in ids:
        assert f'href="#sec-{name}"' in text
    assert "1. Pièce examinée et méthode" in text
    assert "13. Limites et explications alternatives" in text
    assert text.count("<chart chart>") == 4


def test_cover_block(facts):
    params = {"case_ref": "PARQUET-2021-042", "report_id": "R-7 v1", "analyst": "A. Expert"}
    text = summary.cover(facts, params, lang="fr", k=10, produced_at=PRODUCED)
    for value in ("PARQUET-2021-042", "R-7 v1", "A. Expert", "a" * 64, "&lt; 10"):
        assert value in text
    assert "21:00 UTC" in text and "22:00 heure de Paris" in text
    assert "vérifiée" in text


def test_cover_states_an_unverified_hash():
    facts = findings.assemble({"evidence": {"sha256": "f" * 64, "verified": False}}, {})
    assert "ÉCHEC" in summary.cover(facts, {}, lang="fr")


def test_document_is_deterministic_apart_from_time(facts):
    one = _document(facts)
    two = _document(findings.loads(findings.dumps(facts)))
    assert one == two


def test_not_computed_sections_say_so():
    text = _document(findings.assemble({}, {}), "en")
    assert text.count("Section not computed") >= 10
    assert not any(c.strip() == "0" for c in _cells(text))


def test_charts_leave_out_small_categories(facts):
    labels, counts, omitted = summary.chart_data("geography", facts, k=10)
    assert sorted(labels) == ["45", "56"] and omitted == 1  # 2A has 4 persons
    labels, counts, omitted = summary.chart_data("health", facts, lang="en", k=10)
    assert "Genetic disease or data" not in labels and omitted == 1
    assert min(counts) >= 10
    labels, _, omitted = summary.chart_data("timeline", facts, k=10)
    assert labels == ["2015", "2019"] and omitted == 1
    assert "1 category(ies) below the threshold" in summary.chart_note(
        "timeline", facts, lang="en"
    )
    spec = summary.chart("geography", facts, k=10).to_dict()
    assert "2A" not in str(spec)


def test_csv_tables(facts):
    frames = summary.tables(facts)
    assert set(frames) == {"categories", "health", "departements", "labs", "years"}
    assert frames["years"].columns == ["year", "rows", "persons"]
    assert frames["labs"].filter(frames["labs"]["lab_code"] == "L27-09")["rows"].item() == 5


def test_annexes(facts):
    text = summary.annexes(
        facts, {"k": 10, "run_dir": "/tmp/run-1"}, lang="en", versions={"polars": "2.1.0"}
    )
    assert "2.1.0" in text and "b" * 40 in text
    assert "/tmp/run-1" not in text  # the run folder differs between identical runs
    assert "Glossary" in text


def test_small_departements_grouped(facts):
    text = summary.section("geography", facts, lang="en", k=10)
    assert ">2A<" not in text  # a département with 4 persons is not listed on its own
    assert "Other départements (1, each under 10 persons)" in text
    assert summary.section("geography", facts, lang="en", k=2).count(">2A<") == 1


def test_style_is_offline_and_has_print_rules(facts):
    from dumpscope.report.html import external_references

    css = summary.style()
    assert "@media print" in css and "break-after: page" in css
    assert external_references(css) == []
    assert external_references(_document(facts)) == []
