"""Executed notebook -> offline HTML report (code hidden, no CDN, print CSS).

Uses nbconvert's ``HTMLExporter`` with the ``offline`` template shipped in
``dumpscope/report/template/`` (extends ``lab``; require.js, MathJax, mermaid and the widget
manager removed), ``exclude_input=True`` (the ``--no-input`` equivalent) and the
``TagRemovePreprocessor`` dropping cells tagged ``remove_cell``.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Folder holding the ``offline`` nbconvert template.
TEMPLATE_DIR = Path(__file__).resolve().parent / "template"
TEMPLATE_NAME = "offline"
#: Cell tags removed from reports (whole cell, input and output).
REMOVE_CELL_TAGS = ("remove_cell",)
#: Report languages; markdown cells may be tagged ``lang-<code>``.
LANGUAGES = ("fr", "en")
#: Patterns that would make a browser fetch something from the network.
_REMOTE = r"""\s*=\s*["']?\s*(?:(?:https?|wss?|ftp):)?//"""
_EXTERNAL_PATTERNS = [
    (
        "remote src (script, img, iframe, media...)",
        re.compile(
            r"<(?:script|img|iframe|frame|source|video|audio|embed|input|track)\b[^>]*?"
            r"\b(?:src|srcset|poster)" + _REMOTE,
            re.I,
        ),
    ),
    ("remote stylesheet/preload <link>", re.compile(r"<link\b[^>]*?\bhref" + _REMOTE, re.I)),
    ("remote <object>", re.compile(r"<object\b[^>]*?\bdata" + _REMOTE, re.I)),
    (
        "remote SVG <image>/<use>/<feImage>",
        re.compile(r"<(?:image|use|feImage)\b[^>]*?\b(?:xlink:)?href" + _REMOTE, re.I),
    ),
    ("CSS @import", re.compile(r"@import\b", re.I)),
    ("CSS url() to a remote URL", re.compile(r"""url\(\s*["']?\s*(?:https?:)?//""", re.I)),
    ("dynamic import()", re.compile(r"\bimport\s*\(\s*[\"'`](?:https?:)?//", re.I)),
    ("require([...])", re.compile(r"\brequire\s*\(\s*\[", re.I)),
    ("fetch()", re.compile(r"\bfetch\s*\(", re.I)),
    ("CDN host", re.compile(r"cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|unpkg\.com", re.I)),
    ("Google Fonts", re.compile(r"fonts\.(?:googleapis|gstatic)\.com", re.I)),
]


def other_language_tags(lang: str) -> set[str]:
    """Cell tags of the languages other than ``lang``: a notebook carries its markdown in French
    (tag ``lang-fr``) and English (``lang-en``); a report keeps only its own language's cells."""
    return {f"lang-{other}" for other in LANGUAGES if other != lang}


def make_exporter(*, exclude_input: bool = True, lang: str = "fr"):
    """An nbconvert ``HTMLExporter`` configured for dumpscope reports.

    Parameters
    ----------
    exclude_input : bool
        Hide code cells' source and prompts (``--no-input``). ``False`` is for debugging only.
    lang : str
        Report language: cells tagged for another language (``lang-en`` in a French report) are
        removed.

    Returns
    -------
    nbconvert.HTMLExporter
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS) | other_language_tags(
        lang
    )
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.HTMLExporter.template_name = TEMPLATE_NAME
    config.HTMLExporter.exclude_input = exclude_input
    config.HTMLExporter.exclude_input_prompt = exclude_input
    config.HTMLExporter.exclude_output_prompt = exclude_input
    exporter = HTMLExporter(config=config)
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exporter


def notebook_to_html(
    notebook: Path | str,
    *,
    title: str | None = None,
    lang: str = "fr",
    footer: str | None = None,
    exclude_input: bool = True,
) -> str:
    """Convert an executed notebook to a self-contained offline HTML page.

    Parameters
    ----------
    notebook : Path or str
        Executed ``.ipynb``.
    title : str, optional
        ``<title>`` (escaped); default: the notebook's file stem.
    lang : str
        ``<html lang>``.
    footer : str, optional
        Plain text shown at the bottom of the page (escaped).
    exclude_input : bool
        Hide the code (default).

    Returns
    -------
    str
        The HTML document.
    """
    import nbformat

    path = Path(notebook)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["title"] = title or path.stem
    exporter = make_exporter(exclude_input=exclude_input, lang=lang)
    resources = {
        "metadata": {"name": path.stem},
        "language_code": lang,
        "dumpscope_footer": footer or "",
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def export_html(
    notebook: Path | str,
    html_path: Path | str,
    *,
    title: str | None = None,
    lang: str = "fr",
    footer: str | None = None,
) -> Path:
    """Write :func:`notebook_to_html` output to ``html_path`` (UTF-8) and check it is offline.

    Returns
    -------
    Path
        ``html_path``.

    Raises
    ------
    DumpscopeError
        The page would load something from the network (see :func:`external_references`).
    """
    from dumpscope.errors import DumpscopeError

    text = notebook_to_html(notebook, title=title, lang=lang, footer=footer)
    problems = external_references(text)
    if problems:
        raise DumpscopeError(
            f"HTML export of {Path(notebook).name} is not offline: " + "; ".join(problems[:5])
        )
    html_path = Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_name(f".{html_path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(html_path)
    return html_path


def external_references(text: str) -> list[str]:
    """Network references in an HTML/CSS text: anything a browser would fetch by itself.

    Remote ``src``/``srcset``/``poster`` of scripts, images, frames and media, remote ``<link>``
    stylesheets, ``<object data>``, SVG ``<image>``/``<use>`` hrefs, CSS ``@import`` and remote
    ``url()``, dynamic ``import()``, ``require([...])``, ``fetch(``, CDN and font hosts. Inert
    ``https://`` strings (SVG ``xmlns``, CSS comments, plain text) and ordinary ``<a href>`` links
    (followed only when clicked) are not reported.

    Returns
    -------
    list[str]
        One ``"<kind>: <excerpt>"`` per finding (empty = offline).
    """
    found = []
    for kind, pattern in _EXTERNAL_PATTERNS:
        for match in pattern.finditer(text):
            start = max(match.start() - 30, 0)
            excerpt = text[start : match.end() + 50].replace("\n", " ")
            found.append(f"{kind}: …{excerpt}…")
    return found
