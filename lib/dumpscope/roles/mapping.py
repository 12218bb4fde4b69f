"""Role overrides from a YAML mapping file: ``{column_or_original_header: role}``."""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from dumpscope.errors import ParameterError
from dumpscope.roles.headers import ROLES


def check_mapping(mapping: dict, columns: list[dict] | None = None) -> dict[str, str]:
    """Validate a role mapping.

    Parameters
    ----------
    mapping
        ``{column name or original header: role}``.
    columns
        The intake's ``columns`` list (``[{index, original, name}]``); when given, every key must
        name one of them.

    Returns
    -------
    dict
        ``{working-copy column name: role}`` (keys resolved through ``columns`` when given).

    Raises
    ------
    ParameterError
        A key or role is not a string, a role is unknown, or a key names no column.
    """
    if not isinstance(mapping, dict):
        raise ParameterError("the role mapping must be a YAML mapping of column: role")
    resolved: dict[str, str] = {}
    by_name = {c["name"]: c["name"] for c in columns or []}
    by_original = {str(c["original"]): c["name"] for c in columns or []}
    for key, role in mapping.items():
        if not isinstance(key, str) or not isinstance(role, str):
            raise ParameterError(f"role mapping entry {key!r}: {role!r} must be text: text")
        if role not in ROLES:
            close = difflib.get_close_matches(role, ROLES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(
                f"unknown role {role!r} for column {key!r}{hint}; roles are: {', '.join(ROLES)}"
            )
        if columns is None:
            resolved[key] = role
            continue
        name = by_name.get(key) or by_original.get(key)
        if name is None:
            known = list(by_name) + list(by_original)
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(f"the role mapping names column {key!r}, not in the dump{hint}")
        resolved[name] = role
    return resolved


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read and validate a YAML role mapping file.

    Parameters
    ----------
    path
        YAML file holding ``{column_or_original_header: role}``.

    Returns
    -------
    dict
        The mapping as read (keys not yet resolved against a dump's columns; ``detect_roles``
        does that).

    Raises
    ------
    ParameterError
        Missing file, invalid YAML, not a mapping, or an unknown role.
    """
    p = Path(path)
    try:
        text = p.read_text("utf-8")
    except FileNotFoundError:
        raise ParameterError(f"role mapping file not found: {p}") from None
    except (IsADirectoryError, UnicodeDecodeError) as exc:
        raise ParameterError(
            f"role mapping file {p} cannot be read as UTF-8 text: {exc}"
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterError(f"role mapping file {p} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    return check_mapping(data)
