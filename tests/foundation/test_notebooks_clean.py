"""Committed notebooks: no outputs, kernelspec python3, one valid parameters cell, thin."""

from __future__ import annotations

import ast
import json
import re

import pytest

from dumpscope.params import COMMON_PARAMETERS, notebook_schema
from dumpscope.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
_NAME = re.compile(r"^\d\d-[a-z]+(?:-[a-z]+)+\.ipynb$")


def _load(path):
    return json.loads(path.read_text("utf-8"))


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebook committed yet")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
class TestCommittedNotebook:
    def test_name(self, path):
        assert _NAME.match(path.name), "name notebooks NN-verb-object.ipynb"

    def test_no_outputs(self, path):
        for i, cell in enumerate(_load(path)["cells"]):
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [], f"cell {i} has outputs"
                assert cell.get("execution_count") is None, f"cell {i} has an execution count"

    def test_kernelspec_python3(self, path):
        assert _load(path)["metadata"]["kernelspec"]["name"] == "python3"

    def test_title_then_parameters(self, path):
        cells = _load(path)["cells"]
        assert cells[0]["cell_type"] == "markdown" and _source(cells[0]).lstrip().startswith("# ")
        first_code = next(c for c in cells if c["cell_type"] == "code")
        assert "parameters" in first_code["metadata"].get("tags", [])

    def test_parameters_schema(self, path):
        schema = notebook_schema(path)
        for name, type_name in COMMON_PARAMETERS.items():
            assert schema[name].type == type_name
        assert schema["dump_path"].default == "data/synthetic/sample.csv"
        assert schema["run_dir"].default == ""

    def test_opens_the_run(self, path):
        text = "\n".join(_source(c) for c in _load(path)["cells"] if c["cell_type"] == "code")
        assert f'open_run(globals(), notebook="{path.stem}")' in text

    def test_thin(self, path):
        for cell in _load(path)["cells"]:
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse(_source(cell))
            defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
            assert not defs, "no def/class in notebooks: put the code in lib/dumpscope"
