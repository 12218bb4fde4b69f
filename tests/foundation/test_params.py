"""Parameter schema, validation and YAML files (dumpscope.params)."""

from __future__ import annotations

import pytest

from dumpscope.errors import ParameterError
from dumpscope.params import (
    load_params_file,
    notebook_schema,
    parse_parameters_source,
    plan_parameters,
    validate,
)

from .fakes import COMMON, make_fake_notebooks

SOURCE = COMMON + (
    'title: str = "x"  # a title\n'
    "ratio: float = 0.5\n"
    "flag: bool = False  # on/off\n"
    "names: list = []\n"
    "extra: str | None = None\n"
)


@pytest.fixture
def schema():
    return parse_parameters_source(SOURCE, "10-test-thing")


def test_schema_types_defaults_help(schema):
    assert list(schema)[:5] == ["dump_path", "run_dir", "lang", "k", "mapping_path"]
    assert schema["k"].type == "int" and schema["k"].default == 10
    assert schema["k"].help == "small-count suppression threshold"
    assert schema["extra"].optional and schema["extra"].default is None
    assert schema["ratio"].help == ""


def test_validate_merges_defaults_and_coerces(schema):
    values = validate({"k": 5, "ratio": 1, "names": ("a",)}, schema, notebook="nb")
    assert values["k"] == 5 and values["lang"] == "fr"
    assert values["ratio"] == 1.0 and isinstance(values["ratio"], float)
    assert values["names"] == ["a"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kk": 1, "zz": 2}, "unknown parameter(s) kk, zz"),
        ({"k": "10"}, "'k' must be int, got str"),
        ({"k": True}, "'k' must be int, got bool"),
        ({"ratio": "0.5"}, "'ratio' must be float"),
        ({"flag": 1}, "'flag' must be bool"),
        ({"extra": 3}, "'extra' must be str or None"),
        ({"title": None}, "'title' must be str"),
        ({"lang": "de"}, "'lang' must be one of fr, en"),
        ({"k": 0}, "must be at least 1"),
    ],
)
def test_validate_rejects(schema, values, message):
    with pytest.raises(ParameterError, match="notebook nb") as err:
        validate(values, schema, notebook="nb")
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = 1\n", "not of the form"),
        ("x: int = 1 + 1\n", "must be a literal"),
        ("x: Path = 'a'\n", "unsupported annotation"),
        ("x: int = 'a'\n", "must be int"),
        ("x: int = 1\nx: int = 2\n", "declared twice"),
        ("x: int = \n", "not valid Python"),
        ("import os\n", "not of the form"),
    ],
)
def test_malformed_parameters_cell(source, message):
    with pytest.raises(ParameterError, match=message):
        parse_parameters_source(source, "10-bad")


def test_notebook_schema_reads_the_tagged_cell(tmp_path):
    paths = make_fake_notebooks(tmp_path)
    schema = notebook_schema(paths["02-fake-check"])
    assert "fail" in schema and schema["fail"].type == "bool"


def test_notebook_schema_requires_common_parameters(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("k: int = 10\n")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    path = tmp_path / "10-thin.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(
        ParameterError, match="must declare dump_path, run_dir, lang, mapping_path"
    ):
        notebook_schema(path)


def test_notebook_schema_needs_exactly_one_parameters_cell(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("k: int = 10\n")]
    path = tmp_path / "10-none.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ParameterError, match="found 0"):
        notebook_schema(path)


def test_params_file_global_and_sections(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("lang: en\nk: 5\n20-count-persons:\n  threshold: 0.9\n", "utf-8")
    data = load_params_file(path)
    assert data == {
        "global": {"lang": "en", "k": 5},
        "notebooks": {"20-count-persons": {"threshold": 0.9}},
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [("- a\n- b\n", "must be a mapping"), ("a: [\n", "not valid YAML"), ("10-x: 3\n", "section")],
)
def test_params_file_errors(tmp_path, text, message):
    path = tmp_path / "p.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ParameterError, match=message):
        load_params_file(path)


def test_params_file_missing(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        load_params_file(tmp_path / "nope.yaml")


def test_plan_parameters(tmp_path):
    paths = make_fake_notebooks(tmp_path)
    schemas = {name: notebook_schema(p) for name, p in paths.items()}
    common = {"dump_path": "/x.csv", "run_dir": "/r", "lang": "fr", "k": 10, "mapping_path": ""}
    file = {"global": {"title": "T", "lang": "en"}, "notebooks": {"02-fake-check": {"fail": True}}}
    plan = plan_parameters(schemas, common, file)
    assert plan["01-fake-report"]["title"] == "T"
    assert plan["01-fake-report"]["lang"] == "en" and plan["02-fake-check"]["lang"] == "en"
    assert plan["02-fake-check"]["fail"] is True
    assert "title" not in plan["02-fake-check"]
    with pytest.raises(ParameterError, match="declared by no notebook"):
        plan_parameters(schemas, common, {"global": {"titel": "T"}, "notebooks": {}})
    with pytest.raises(ParameterError, match="not in this run"):
        plan_parameters(schemas, common, {"global": {}, "notebooks": {"03-other": {}}})
    with pytest.raises(ParameterError, match="02-fake-check: parameter 'fail' must be bool"):
        plan_parameters(
            schemas, common, {"global": {}, "notebooks": {"02-fake-check": {"fail": "yes"}}}
        )
