"""``index.html`` of a run folder (and of a batch of run folders): self-contained, escaped links.

No script, no external stylesheet: a small inline CSS only.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

_LABELS = {
    "fr": {
        "title": "Rapport dumpscope",
        "batch_title": "Rapports dumpscope",
        "evidence": "Pièce analysée",
        "sha256": "SHA-256",
        "bytes": "octets",
        "started": "Exécution commencée (UTC)",
        "reports": "Rapports",
        "report": "Rapport",
        "notebook": "Carnet exécuté",
        "seconds": "Durée (s)",
        "skipped": "Carnets absents (non exécutés)",
        "integrity": (
            "Intégrité : manifest.json liste l'empreinte SHA-256 de chaque fichier de ce dossier ;"
            " vérifier avec « dumpscope verify »."
        ),
        "work": (
            "Le sous-dossier work/ contient des données personnelles issues de la pièce : "
            "ne pas le diffuser."
        ),
        "findings": "Constats (JSON)",
        "runs": "Pièces",
    },
    "en": {
        "title": "dumpscope report",
        "batch_title": "dumpscope reports",
        "evidence": "Evidence",
        "sha256": "SHA-256",
        "bytes": "bytes",
        "started": "Run started (UTC)",
        "reports": "Reports",
        "report": "Report",
        "notebook": "Executed notebook",
        "seconds": "Time (s)",
        "skipped": "Notebooks absent (not run)",
        "integrity": (
            "Integrity: manifest.json lists the SHA-256 of every file of this folder; check with "
            "'dumpscope verify'."
        ),
        "work": (
            "The work/ sub-folder holds personal data taken from the evidence: do not share it."
        ),
        "findings": "Findings (JSON)",
        "runs": "Evidence files",
    },
}

_CSS = """
body { font-family: Arial, "Liberation Sans", sans-serif; max-width: 960px; margin: 2em auto;
       padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
th { background: #f0f0f0; }
td.num { text-align: right; }
code { font-size: 12px; word-break: break-all; }
.note { color: #555; font-size: 13px; }
@media print { a { color: black; text-decoration: none; } }
"""


def _labels(lang: str) -> dict[str, str]:
    return _LABELS.get(lang, _LABELS["en"])


def _page(title: str, body: list[str], lang: str) -> str:
    esc = html.escape
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{esc(lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>{esc(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            f"<h1>{esc(title)}</h1>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def render_run_index(
    *,
    notebooks: list[dict[str, Any]],
    skipped: list[str],
    evidence: dict[str, Any],
    started: str,
    lang: str = "fr",
    has_findings: bool = False,
) -> str:
    """HTML of a run folder's index.

    Parameters
    ----------
    notebooks : list of dict
        ``{"name", "title", "html", "ipynb", "seconds"}`` (paths relative to the run folder).
    skipped : list of str
        Notebook names not run.
    evidence : dict
        ``{"name", "bytes", "sha256"}``.
    started : str
        Run start time (UTC, ISO).
    lang : str
        ``fr`` or ``en``.
    has_findings : bool
        Link ``findings.json``.

    Returns
    -------
    str
        A complete, self-contained HTML page (every value escaped).
    """
    lab = _labels(lang)
    esc = html.escape
    body = [
        "<table>",
        f"<tr><th>{esc(lab['evidence'])}</th><td>{esc(str(evidence['name']))}"
        f" ({int(evidence['bytes'])} {esc(lab['bytes'])})</td></tr>",
        f"<tr><th>{esc(lab['sha256'])}</th><td><code>{esc(str(evidence['sha256']))}</code></td>"
        "</tr>",
        f"<tr><th>{esc(lab['started'])}</th><td>{esc(started)}</td></tr>",
        "</table>",
        f"<h2>{esc(lab['reports'])}</h2>",
        "<table>",
        f"<tr><th>{esc(lab['report'])}</th><th>{esc(lab['notebook'])}</th>"
        f"<th>{esc(lab['seconds'])}</th></tr>",
    ]
    for nb in notebooks:
        body.append(
            f"<tr><td>{_link(nb['html'], nb['title'] or nb['name'])}</td>"
            f"<td>{_link(nb['ipynb'], nb['name'] + '.ipynb')}</td>"
            f'<td class="num">{float(nb["seconds"]):.1f}</td></tr>'
        )
    body.append("</table>")
    if has_findings:
        body.append(f"<p>{_link('findings.json', lab['findings'])}</p>")
    if skipped:
        body.append(f'<p class="note">{esc(lab["skipped"])} — {esc(", ".join(skipped))}</p>')
    body.append(f'<p class="note">{esc(lab["integrity"])}</p>')
    body.append(f'<p class="note">{esc(lab["work"])}</p>')
    return _page(lab["title"] + " — " + str(evidence["name"]), body, lang)


def write_run_index(
    run_dir: Path, result: Any, *, lang: str, evidence: dict[str, Any], started: str
) -> Path:
    """Write ``run_dir/index.html`` for a :class:`dumpscope.runner.RunResult`.

    Returns
    -------
    Path
        The index file.
    """
    run_dir = Path(run_dir)
    entries = [
        {
            "name": nb.name,
            "title": nb.title,
            "html": Path(nb.html).relative_to(run_dir).as_posix() if nb.html else "",
            "ipynb": Path(nb.output).relative_to(run_dir).as_posix(),
            "seconds": nb.seconds,
        }
        for nb in result.notebooks
    ]
    text = render_run_index(
        notebooks=entries,
        skipped=list(result.skipped),
        evidence=evidence,
        started=started,
        lang=lang,
        has_findings=(run_dir / "findings.json").is_file(),
    )
    path = run_dir / "index.html"
    path.write_text(text, encoding="utf-8")
    return path


def render_batch_index(runs: list[dict[str, Any]], *, lang: str = "fr") -> str:
    """HTML of a batch index: one row per evidence file.

    Parameters
    ----------
    runs : list of dict
        ``{"folder", "name", "bytes", "sha256"}`` (``folder`` relative to the batch folder).
    lang : str
        ``fr`` or ``en``.

    Returns
    -------
    str
        A complete, self-contained HTML page.
    """
    lab = _labels(lang)
    esc = html.escape
    body = [
        f"<h2>{esc(lab['runs'])}</h2>",
        "<table>",
        f"<tr><th>{esc(lab['evidence'])}</th><th>{esc(lab['bytes'])}</th>"
        f"<th>{esc(lab['sha256'])}</th></tr>",
    ]
    for run in runs:
        body.append(
            f"<tr><td>{_link(run['folder'] + '/index.html', str(run['name']))}</td>"
            f'<td class="num">{int(run["bytes"])}</td>'
            f"<td><code>{esc(str(run['sha256']))}</code></td></tr>"
        )
    body.append("</table>")
    body.append(f'<p class="note">{esc(lab["integrity"])}</p>')
    return _page(lab["batch_title"], body, lang)


def write_batch_index(out_dir: Path, results: list[Any], *, lang: str) -> Path:
    """Write ``out_dir/index.html`` linking each run folder's index.

    Returns
    -------
    Path
        The index file.
    """
    from dumpscope.manifest import load_manifest

    out_dir = Path(out_dir)
    runs = []
    for result in results:
        evidence = load_manifest(result.run_dir)["inputs"][0]
        runs.append(
            {
                "folder": Path(result.run_dir).relative_to(out_dir).as_posix(),
                "name": evidence["name"],
                "bytes": evidence["bytes"],
                "sha256": evidence["sha256"],
            }
        )
    path = out_dir / "index.html"
    path.write_text(render_batch_index(runs, lang=lang), encoding="utf-8")
    return path
