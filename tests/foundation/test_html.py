"""Offline HTML export: no code, no CDN, escaped, charts as data-URI SVG."""

from __future__ import annotations

import re

import pytest

from dumpscope.report.html import TEMPLATE_DIR, external_references, notebook_to_html


@pytest.fixture(scope="module")
def report_html(fake_run):
    result, _ = fake_run
    return (result.out_dir / "01-fake-report.html").read_text("utf-8")


def test_template_files_ship_with_the_package():
    assert (TEMPLATE_DIR / "offline" / "index.html.j2").is_file()
    assert (TEMPLATE_DIR / "offline" / "conf.json").is_file()


def test_no_code_in_report(report_html):
    assert "hl-ipython3" not in report_html
    assert 'class="nn"' not in report_html
    assert "open_run" not in report_html
    assert "import altair" not in report_html


def test_remove_cell_tag_drops_the_cell(report_html):
    assert "sys.executable" not in report_html
    assert "/bin/python" not in report_html


def test_no_external_references(fake_run):
    result, _ = fake_run
    for path in result.out_dir.rglob("*.html"):
        text = path.read_text("utf-8")
        assert external_references(text) == [], path.name
        assert not re.search(r"<script[^>]+src=", text), path.name
        assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", text), path.name


def test_chart_is_a_data_uri_svg(report_html):
    images = re.findall(
        r'<img[^>]+src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', report_html
    )
    assert len(images) == 1 and len(images[0]) > 1000


def test_dump_strings_are_escaped(report_html):
    assert "&lt;script&gt;x&lt;/script&gt;" in report_html
    assert "<script>x</script>" not in report_html
    assert "&lt;b&gt;escaped&lt;/b&gt;" in report_html
    assert "Planted &lt;b&gt;title&lt;/b&gt;" in report_html


def test_small_counts_suppressed_in_table(report_html):
    assert "&lt; 5" in report_html  # the planted count 3 with k = 5
    assert ">40<" in report_html and ">12<" in report_html


def test_print_css_footer_and_lang(report_html):
    assert "@media print" in report_html
    assert '<html lang="en">' in report_html
    assert 'class="dumpscope-footer"' in report_html and "SHA-256" in report_html


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.jsdelivr.net/npm/vega@6"></script>',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">',
        "<style>@import url(x.css);</style>",
        "<style>body { background: url('https://example.org/a.png') }</style>",
        '<img src="http://example.org/a.png">',
        "<script>import('https://esm.sh/x')</script>",
        "<script>require(['vega'], function () {})</script>",
        "<script>fetch('data.json')</script>",
        '<img srcset="https://example.org/a.png 2x" alt="">',
        '<svg><image href="https://example.org/a.png"/></svg>',
        '<iframe src="//example.org/"></iframe>',
    ],
)
def test_external_reference_detector(snippet):
    assert external_references(f"<html><body>{snippet}</body></html>")


def test_inert_urls_are_not_flagged():
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg"></svg><p>see https://cnil.fr</p>'
        '<a href="https://www.cnil.fr/">CNIL</a><img src="data:image/svg+xml;base64,AAAA">'
    )
    assert external_references(text) == []


def test_notebook_to_html_keeps_code_when_asked(fake_run):
    result, _ = fake_run
    text = notebook_to_html(result.out_dir / "notebooks/02-fake-check.ipynb", exclude_input=False)
    assert "load_section" in text


def test_report_keeps_only_its_language_cells(tmp_path):
    import nbformat

    from dumpscope.report.html import notebook_to_html
    from dumpscope.runner import _notebook_title

    nb = nbformat.v4.new_notebook()
    fr = nbformat.v4.new_markdown_cell("# Titre français\n\nTexte en français.")
    fr.metadata["tags"] = ["lang-fr"]
    en = nbformat.v4.new_markdown_cell("# English title\n\nEnglish text.")
    en.metadata["tags"] = ["lang-en"]
    both = nbformat.v4.new_markdown_cell("Shared cell.")
    nb.cells = [fr, en, both]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    html_fr = notebook_to_html(path, lang="fr")
    html_en = notebook_to_html(path, lang="en")
    assert "Texte en français" in html_fr and "English text" not in html_fr
    assert "English text" in html_en and "Texte en français" not in html_en
    assert "Shared cell" in html_fr and "Shared cell" in html_en
    assert _notebook_title(path, "fr") == "Titre français"
    assert _notebook_title(path, "en") == "English title"


def test_every_notebook_speaks_both_languages():
    import json

    from dumpscope.paths import NOTEBOOKS_DIR

    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        cells = json.loads(path.read_text("utf-8"))["cells"]
        shown = [
            c
            for c in cells
            if c["cell_type"] == "markdown" and "remove_cell" not in c["metadata"].get("tags", [])
        ]
        fr = [c for c in shown if "lang-fr" in c["metadata"].get("tags", [])]
        en = [c for c in shown if "lang-en" in c["metadata"].get("tags", [])]
        assert len(fr) == len(en) == len(shown) // 2, path.name
