"""Notebook parameters: schema from the notebook's own ``parameters`` cell, validation, YAML files.

Every notebook has exactly one code cell tagged ``parameters`` made of annotated literals::

    dump_path: str = "data/synthetic/sample.csv"  # evidence file (relative to the repository root)
    k: int = 10  # small-count suppression threshold

:func:`notebook_schema` parses that cell with :mod:`ast` (no kernel needed) into a schema;
:func:`validate` checks names and types against it and raises :class:`ParameterError` with a
message meant for the analyst. :func:`load_params_file` reads a YAML parameters file.
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dumpscope.errors import ParameterError

#: Parameters every notebook accepts (contracts §9), with their types.
COMMON_PARAMETERS: dict[str, str] = {
    "dump_path": "str",
    "run_dir": "str",
    "lang": "str",
    "k": "int",
    "mapping_path": "str",
}
#: Report languages.
LANGUAGES = ("fr", "en")
#: Types a parameter may be annotated with (optionally ``| None``).
SUPPORTED_TYPES = ("str", "int", "float", "bool", "list", "dict")
_NOTEBOOK_KEY = re.compile(r"^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ParamSpec:
    """One declared notebook parameter.

    Attributes
    ----------
    name : str
        Variable name.
    type : str
        One of :data:`SUPPORTED_TYPES`.
    optional : bool
        ``True`` when annotated ``T | None`` (``None`` accepted).
    default : Any
        Literal default from the cell.
    help : str
        Trailing comment of the line, if any.
    """

    name: str
    type: str
    optional: bool
    default: Any
    help: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-serializable form (keys ``name, type, optional, default, help``)."""
        return {
            "name": self.name,
            "type": self.type,
            "optional": self.optional,
            "default": self.default,
            "help": self.help,
        }


def _parameters_source(notebook: dict, label: str) -> str:
    cells = [
        c
        for c in notebook.get("cells", [])
        if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if len(cells) != 1:
        raise ParameterError(
            f"notebook {label}: expected exactly one code cell tagged 'parameters', "
            f"found {len(cells)}"
        )
    source = cells[0].get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _comments(source: str) -> dict[int, str]:
    out: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                out[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, SyntaxError):  # pragma: no cover - ast fails first
        pass
    return out


def _annotation(node: ast.expr, label: str, line: int) -> tuple[str, bool]:
    if isinstance(node, ast.Name) and node.id in SUPPORTED_TYPES:
        return node.id, False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = node.left, node.right
        if isinstance(right, ast.Constant) and right.value is None:
            return _annotation(left, label, line)[0], True
        if isinstance(left, ast.Constant) and left.value is None:
            return _annotation(right, label, line)[0], True
    raise ParameterError(
        f"notebook {label}: parameters cell line {line}: unsupported annotation "
        f"{ast.unparse(node)!r} (use one of {', '.join(SUPPORTED_TYPES)}, optionally '| None')"
    )


def parse_parameters_source(source: str, label: str = "<cell>") -> dict[str, ParamSpec]:
    """Parse the source of a parameters cell into a schema.

    Parameters
    ----------
    source : str
        Python source made only of ``name: type = literal  # help`` lines (comments and blank
        lines allowed).
    label : str
        Notebook name used in error messages.

    Returns
    -------
    dict[str, ParamSpec]
        Declared parameters by name, in cell order.

    Raises
    ------
    ParameterError
        Syntax error, a statement that is not an annotated literal, an unsupported type, a default
        that does not match its annotation, or a name declared twice.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(
            f"notebook {label}: parameters cell is not valid Python (line {exc.lineno}: {exc.msg})"
        ) from None
    comments = _comments(source)
    schema: dict[str, ParamSpec] = {}
    for stmt in tree.body:
        line = stmt.lineno
        if not (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.value is not None
        ):
            raise ParameterError(
                f"notebook {label}: parameters cell line {line} is not of the form "
                f"'name: type = literal  # help'"
            )
        name = stmt.target.id
        type_name, optional = _annotation(stmt.annotation, label, line)
        try:
            default = ast.literal_eval(stmt.value)
        except ValueError:
            raise ParameterError(
                f"notebook {label}: parameter {name!r} (line {line}): the default must be a "
                f"literal, not {ast.unparse(stmt.value)!r}"
            ) from None
        if name in schema:
            raise ParameterError(f"notebook {label}: parameter {name!r} is declared twice")
        spec = ParamSpec(name, type_name, optional, default, comments.get(line, ""))
        _check_type(spec, default, label, what="default")
        schema[name] = spec
    return schema


def read_notebook_json(path: Path) -> dict:
    """Read a ``.ipynb`` file as plain JSON (no nbformat validation, fast)."""
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"notebook not found: {path}") from None
    except json.JSONDecodeError as exc:
        raise ParameterError(f"notebook {path} is not valid JSON: {exc}") from None


def notebook_schema(path: Path | str) -> dict[str, ParamSpec]:
    """Schema of a notebook's parameters, read from its ``parameters`` cell.

    Parameters
    ----------
    path : Path or str
        The ``.ipynb`` file.

    Returns
    -------
    dict[str, ParamSpec]
        Declared parameters by name.

    Raises
    ------
    ParameterError
        No or several ``parameters`` cells, or a malformed cell (see
        :func:`parse_parameters_source`), or a missing common parameter (contracts §9).
    """
    path = Path(path)
    label = path.stem
    schema = parse_parameters_source(_parameters_source(read_notebook_json(path), label), label)
    missing = [n for n in COMMON_PARAMETERS if n not in schema]
    if missing:
        raise ParameterError(
            f"notebook {label}: the parameters cell must declare {', '.join(missing)} "
            f"(every notebook accepts {', '.join(COMMON_PARAMETERS)})"
        )
    return schema


def _type_ok(type_name: str, value: Any) -> bool:
    if type_name == "str":
        return isinstance(value, str)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "bool":
        return isinstance(value, bool)
    if type_name == "list":
        return isinstance(value, list | tuple)
    if type_name == "dict":
        return isinstance(value, dict)
    return False  # pragma: no cover - annotations are checked when parsing


def _check_type(spec: ParamSpec, value: Any, label: str, what: str = "value") -> None:
    if value is None and spec.optional:
        return
    if not _type_ok(spec.type, value):
        expected = spec.type + (" or None" if spec.optional else "")
        raise ParameterError(
            f"notebook {label}: parameter {spec.name!r} must be {expected}, "
            f"got {type(value).__name__} {value!r} ({what})"
        )


def _check_common(values: dict[str, Any], label: str) -> None:
    if "lang" in values and values["lang"] not in LANGUAGES:
        raise ParameterError(
            f"notebook {label}: parameter 'lang' must be one of {', '.join(LANGUAGES)}, "
            f"got {values['lang']!r}"
        )
    if "k" in values and values["k"] < 1:
        raise ParameterError(
            f"notebook {label}: parameter 'k' (small-count threshold) must be at least 1, "
            f"got {values['k']}"
        )


def validate(
    values: dict[str, Any], schema: dict[str, ParamSpec], *, notebook: str = "<notebook>"
) -> dict[str, Any]:
    """Check passed parameter values against a schema and merge them with the defaults.

    Parameters
    ----------
    values : dict
        Parameter name -> value (as papermill would inject them).
    schema : dict[str, ParamSpec]
        From :func:`notebook_schema`.
    notebook : str
        Notebook name for messages.

    Returns
    -------
    dict
        Every declared parameter (defaults overridden by ``values``), ``float`` parameters given
        as ``int`` converted to ``float``, tuples to lists.

    Raises
    ------
    ParameterError
        Unknown names (all listed), a value of the wrong type, ``lang`` not ``fr``/``en``, or
        ``k`` < 1.
    """
    unknown = sorted(set(values) - set(schema))
    if unknown:
        raise ParameterError(
            f"notebook {notebook}: unknown parameter(s) {', '.join(unknown)}; "
            f"accepted: {', '.join(schema)}"
        )
    merged: dict[str, Any] = {}
    for name, spec in schema.items():
        value = values.get(name, spec.default)
        _check_type(spec, value, notebook)
        if spec.type == "float" and isinstance(value, int):
            value = float(value)
        if spec.type == "list" and isinstance(value, tuple):
            value = list(value)
        merged[name] = value
    _check_common(merged, notebook)
    return merged


def values_from_namespace(namespace: dict[str, Any], schema: dict[str, ParamSpec]) -> dict:
    """Pick the declared parameters out of a notebook's ``globals()``.

    Parameters
    ----------
    namespace : dict
        The notebook's global namespace after the parameters (and injected-parameters) cells.
    schema : dict[str, ParamSpec]
        Declared parameters.

    Returns
    -------
    dict
        Name -> value for each declared name present in ``namespace``.
    """
    return {name: namespace[name] for name in schema if name in namespace}


def load_params_file(path: Path | str) -> dict[str, Any]:
    """Read a YAML parameters file.

    The file is a mapping. Keys named like a notebook (``NN-verb-object``) hold a mapping of
    parameters for that notebook only; every other key is a parameter given to every notebook of
    the run that declares it::

        lang: en
        k: 5
        20-count-persons:
          match_threshold: 0.9

    Parameters
    ----------
    path : Path or str
        YAML file.

    Returns
    -------
    dict
        ``{"global": {name: value}, "notebooks": {notebook: {name: value}}}``.

    Raises
    ------
    ParameterError
        File missing, invalid YAML, not a mapping, or a notebook section that is not a mapping.
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"parameters file not found: {path}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"parameters file {path} is not valid YAML: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParameterError(f"parameters file {path} must be a mapping of name: value")
    out: dict[str, Any] = {"global": {}, "notebooks": {}}
    for key, value in data.items():
        key = str(key)
        if _NOTEBOOK_KEY.match(key):
            if not isinstance(value, dict):
                raise ParameterError(
                    f"parameters file {path}: section {key!r} must be a mapping of name: value"
                )
            out["notebooks"][key] = {str(k): v for k, v in value.items()}
        else:
            out["global"][key] = value
    return out


def plan_parameters(
    schemas: dict[str, dict[str, ParamSpec]],
    common: dict[str, Any],
    params_file: dict[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """Validated parameters of every notebook of a run, before any notebook runs.

    Parameters
    ----------
    schemas : dict
        Notebook name -> schema (:func:`notebook_schema`), in run order.
    common : dict
        Values given to every notebook (``dump_path``, ``run_dir``, ``lang``, ``k``,
        ``mapping_path``); they must be declared by every notebook.
    params_file : dict, optional
        From :func:`load_params_file`. File values override ``common``; per-notebook sections
        override global values.

    Returns
    -------
    dict
        Notebook name -> full validated parameter dict (defaults filled in).

    Raises
    ------
    ParameterError
        A global file key declared by no notebook of the run, a section naming a notebook that is
        not in the run, or any error of :func:`validate`.
    """
    params_file = params_file or {"global": {}, "notebooks": {}}
    glob = params_file.get("global", {})
    sections = params_file.get("notebooks", {})
    declared = set().union(*(set(s) for s in schemas.values())) if schemas else set()
    unknown = sorted(set(glob) - declared)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(unknown)}: declared by no notebook of this run"
        )
    stray = sorted(set(sections) - set(schemas))
    if stray:
        raise ParameterError(
            f"parameters file names notebook(s) not in this run: {', '.join(stray)}; "
            f"run: {', '.join(schemas)}"
        )
    plan: dict[str, dict[str, Any]] = {}
    for name, schema in schemas.items():
        values = dict(common)
        values.update({k: v for k, v in glob.items() if k in schema})
        values.update(sections.get(name, {}))
        plan[name] = validate(values, schema, notebook=name)
    return plan
