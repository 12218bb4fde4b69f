"""End to end: ``dumpscope.runner.run`` on a synthetic dump carrying canaries and hostile values.

(a) canaries planted in the dump appear in no HTML, SVG, JSON or CSV of a default run (nor upper
    or lower case, nor without spaces);
(b) in headless Chromium, no script from the dump runs and no markup from the dump renders;
(c) French and English reports render (screenshots);
(d) two runs on the same dump and parameters: byte-identical findings.json, identical report
    bodies apart from run times.

Slow (several notebook runs): marked ``notebook`` (and ``browser`` for Chromium).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dumpscope import findings

pytestmark = pytest.mark.notebook

ROWS = 600
SEED = 20210223

CANARY = {
    "NOM_USAGE": "Zyquavertin",
    "PRENOM": "Xolmedrique",
    "NUM_SS": "",  # filled with a valid-key NIR below
    "EMAIL": "zyquavertin.canari@example.org",
    "TEL_PORTABLE": "06 47 83 29 15",
    "ADRESSE1": "17 impasse Kwolbrandt",
    "COMMENTAIRE_1": "Patiente Wuxalinde suivie pour VIH, sous trithérapie",
    "MDP_WEB": "Qv7!canarypass",
    "LOGIN_WEB": "zyqua.canari",
}
HOSTILE = {
    "NOM_LABO": "<script>document.title='PWNED'</script>LABO",
    "COMMENTAIRE_2": "<img src=x onerror=\"document.title='PWNED2'\">",
    "VILLE": '=HYPERLINK("http://evil.example","x")',
}


def _nir_with_key(body13: str) -> str:
    return body13 + f"{97 - int(body13) % 97:02d}"


def _plant(source: Path, target: Path) -> None:
    """Copy ``source`` with one simple data row replaced by canary and hostile values."""
    raw = source.read_bytes().split(b"\r\n")
    header = raw[0].decode("cp1252").split(";")
    for i in range(1, len(raw)):
        try:
            line = raw[i].decode("cp1252")
        except UnicodeDecodeError:
            continue
        fields = line.split(";")
        if '"' in line or len(fields) != len(header):
            continue
        values = {**CANARY, "NUM_SS": _nir_with_key("2840556123456"), **HOSTILE}
        for name, value in values.items():
            if name in header:
                fields[header.index(name)] = value
        raw[i] = ";".join(fields).encode("cp1252")
        break
    target.write_bytes(b"\r\n".join(raw))


def _variants(value: str) -> set[str]:
    compact = value.replace(" ", "")
    out = {value, value.upper(), value.lower(), compact, compact.upper(), compact.lower()}
    digits = re.sub(r"\D", "", value)
    if len(digits) == 10 and digits.startswith("0"):
        out |= {"+33" + digits[1:], "33" + digits[1:]}
    return {v for v in out if len(v) >= 6}


def _canary_strings() -> dict[str, set[str]]:
    values = {**CANARY, "NUM_SS": _nir_with_key("2840556123456")}
    out = {name: _variants(value) for name, value in values.items()}
    out["COMMENTAIRE_1"] |= _variants("Wuxalinde")
    out["ADRESSE1"] |= _variants("Kwolbrandt")
    return out


def _report_texts(run_dir: Path) -> dict[str, str]:
    """Every HTML, SVG, JSON, CSV and executed-notebook text of a run (data-URI images decoded)."""
    from browser import data_images

    texts: dict[str, str] = {}
    for path in sorted(run_dir.rglob("*")):
        if path.suffix.lower() not in {".html", ".svg", ".json", ".csv", ".ipynb"}:
            continue
        text = path.read_text("utf-8", errors="replace")
        texts[str(path.relative_to(run_dir))] = text
        if path.suffix.lower() in {".html", ".ipynb"}:
            for n, image in enumerate(data_images(text)):
                texts[f"{path.relative_to(run_dir)}#image{n}"] = image.payload.decode(
                    "utf-8", errors="replace"
                )
    return texts


@pytest.fixture(scope="module")
def dumps(tmp_path_factory):
    synth = pytest.importorskip("dumpscope.synth")
    folder = tmp_path_factory.mktemp("e2e-dump")
    clean = folder / "clean.csv"
    synth.generate(clean, rows=ROWS, seed=SEED)
    planted = folder / "planted" / "canary.csv"
    planted.parent.mkdir()
    _plant(clean, planted)
    return planted


@pytest.fixture(scope="module")
def runs(dumps, tmp_path_factory):
    """Two default French runs of the same dump into two folders."""
    from dumpscope.runner import run

    out = tmp_path_factory.mktemp("e2e-runs")
    return [run([dumps], out / name, lang="fr", k=10).runs[0] for name in ("one", "two")]


def test_planting_worked(dumps):
    text = dumps.read_bytes().decode("cp1252", errors="replace")
    assert CANARY["NOM_USAGE"] in text and HOSTILE["NOM_LABO"] in text


def test_summary_report_and_findings_written(runs):
    run_dir = runs[0].run_dir
    assert (run_dir / "90-summarize-report.html").is_file()
    facts = findings.loads((run_dir / "findings.json").read_text("utf-8"))
    assert facts["records"]["status"] == "computed"
    manifest = json.loads((run_dir / "manifest.json").read_text("utf-8"))
    assert facts["evidence"]["sha256"] == manifest["inputs"][0]["sha256"]
    assert "findings.json" in json.dumps(manifest)  # hashed in the manifest


def test_canaries_absent_from_every_report_file(runs):
    texts = _report_texts(runs[0].run_dir)
    assert any(name.endswith("90-summarize-report.html") for name in texts)
    leaks = [
        f"{field} ({variant!r}) in {name}"
        for name, text in texts.items()
        for field, variants in _canary_strings().items()
        for variant in variants
        if variant in text
    ]
    assert not leaks, leaks[:20]


def test_no_raw_markup_from_the_dump_in_html(runs):
    for path in runs[0].run_dir.glob("*.html"):
        text = path.read_text("utf-8")
        assert "<script>document.title='PWNED'</script>" not in text, path.name
        assert "<img src=x onerror" not in text, path.name


def test_csv_formulas_neutralized(runs):
    for path in runs[0].run_dir.rglob("*.csv"):
        for line in path.read_text("utf-8").splitlines():
            for cell in line.split(","):
                assert not cell.lstrip('"').startswith(("=", "+", "@")), (path.name, cell)


def test_findings_json_byte_identical(runs):
    one, two = (r.run_dir / "findings.json" for r in runs)
    assert one.read_bytes() == two.read_bytes()


_VOLATILE = [
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"),
    re.compile(r"\d{1,2} [^\s<]+ \d{4},? \d{2}:\d{2} UTC \([^)<]*\)"),
    re.compile(r"run started [^·<]*"),
    re.compile(r"cell-id=[0-9a-f-]+"),  # papermill's random id of the injected-parameters cell
]


def _body(path: Path) -> str:
    text = path.read_text("utf-8")
    for pattern in _VOLATILE:
        text = pattern.sub("<TIME>", text)
    return text.replace(str(path.parent), "<RUN>")


def test_summary_report_identical_apart_from_times(runs):
    one, two = (_body(r.run_dir / "90-summarize-report.html") for r in runs)
    assert one == two


def test_all_reports_identical_apart_from_times(runs):
    # index.html lists each notebook's duration: timing, not a report body
    differ = [
        path.name
        for path in sorted(runs[0].run_dir.glob("*.html"))
        if path.name != "index.html" and _body(path) != _body(runs[1].run_dir / path.name)
    ]
    assert not differ, differ


@pytest.mark.browser
def test_chromium_runs_no_script_from_the_dump(runs, tmp_path):
    from browser import load_page, require_chromium, screenshot

    require_chromium()
    report = runs[0].run_dir / "90-summarize-report.html"
    page = load_page(report)
    title = re.search(r"<title>(.*?)</title>", page.dom, re.S)
    assert title and "PWNED" not in title.group(1)
    assert "<script>document.title" not in page.dom
    assert not re.search(r"<img[^>]*onerror", page.dom, re.I)
    assert not page.requests and not page.network_errors, page.requests
    assert len(page.data_images) >= 1  # the charts
    assert screenshot(report, tmp_path / "fr.png").stat().st_size > 10_000


@pytest.mark.browser
def test_english_report_renders(dumps, tmp_path):
    from browser import load_page, require_chromium, screenshot

    from dumpscope.runner import run

    require_chromium()
    result = run(
        [dumps],
        tmp_path / "en",
        lang="en",
        k=10,
        names=("00-inspect-evidence", "90-summarize-report"),
    ).runs[0]
    report = result.run_dir / "90-summarize-report.html"
    text = report.read_text("utf-8")
    assert "Executive summary" in text and "Control block" in text
    page = load_page(report)
    assert "PWNED" not in re.search(r"<title>(.*?)</title>", page.dom, re.S).group(1)
    assert screenshot(report, tmp_path / "en.png").stat().st_size > 10_000
    facts = json.loads((result.run_dir / "findings.json").read_text("utf-8"))
    assert facts["persons"]["status"] == "not_computed"  # 20 did not run: said, not zero
