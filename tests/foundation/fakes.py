"""Tiny fake notebooks for the runner, template and manifest tests (independent of other stages)."""

from __future__ import annotations

from pathlib import Path

import nbformat

COMMON = (
    'dump_path: str = "data/synthetic/sample.csv"  # evidence file\n'
    'run_dir: str = ""  # run folder\n'
    'lang: str = "fr"  # report language\n'
    "k: int = 10  # small-count suppression threshold\n"
    'mapping_path: str = ""  # optional YAML file forcing column roles\n'
)

REPORT_BODY = """\
import altair as alt
import polars as pl

frame = pl.DataFrame({"group": ["a", "b", "<script>x</script>"], "rows": [3, 40, 12]})
ctx.save_section("fake", {"title": title, "ratio": ratio, "k": ctx.k, "lang": ctx.lang})
ctx.show_chart(alt.Chart(frame).mark_bar().encode(x="group", y="rows"))
ctx.show_table(frame, count_columns=["rows"])
ctx.say(f"**{title}** <b>escaped</b>")
"""


def _notebook(title: str, params: str, body: list[str], path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    cell = nbformat.v4.new_code_cell(COMMON + params)
    cell.metadata["tags"] = ["parameters"]
    setup = nbformat.v4.new_code_cell(
        "import sys\nprint(sys.executable)",
    )
    setup.metadata["tags"] = ["remove_cell"]
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}"),
        cell,
        setup,
        nbformat.v4.new_code_cell(
            "import dumpscope.pipeline\n"
            f'ctx = dumpscope.pipeline.open_run(globals(), notebook="{path.as_posix()}")'
        ),
        *[nbformat.v4.new_code_cell(source) for source in body],
    ]
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i}"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def make_fake_notebooks(folder: Path) -> dict[str, Path]:
    """Write ``01-fake-report`` (section + chart + table + sentence) and ``02-fake-check``
    (reads the section; ``fail: bool`` raises) into ``folder``.

    Returns
    -------
    dict
        Name -> path.
    """
    folder = Path(folder)
    report = _notebook(
        "Fake report",
        'title: str = "Fake"  # a title\nratio: float = 0.5  # a ratio\n',
        [REPORT_BODY],
        folder / "01-fake-report.ipynb",
    )
    check = _notebook(
        "Fake check",
        "fail: bool = False  # raise on purpose\ndie: bool = False  # kill the kernel on purpose\n",
        [
            'section = ctx.load_section("fake")\nprint("section title:", section["title"])',
            'if fail:\n    raise ValueError("planned failure")\nprint("after")',
            "if die:\n    import os\n\n    os._exit(3)",
        ],
        folder / "02-fake-check.ipynb",
    )
    return {"01-fake-report": report, "02-fake-check": check}
