"""environment.yml and pyproject.toml must list the same packages with the same pins."""

from __future__ import annotations

import re
import tomllib

import yaml

from dumpscope.paths import REPO_ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(spec: str, sep: str) -> tuple[str, str]:
    name, _, version = spec.partition(sep)
    return _norm(name.strip()), version.strip()


def pyproject_pins() -> dict[str, str]:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text("utf-8"))
    project = data["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    pins = {}
    for spec in specs:
        assert "==" in spec, f"pyproject.toml: {spec!r} is not pinned with =="
        name, version = _split(spec, "==")
        pins[name] = version
    return pins


def environment_pins() -> dict[str, str]:
    data = yaml.safe_load((REPO_ROOT / "environment.yml").read_text("utf-8"))
    pins = {}
    for item in data["dependencies"]:
        if isinstance(item, dict):
            for spec in item.get("pip", []):
                if spec.startswith("-"):
                    continue
                assert "==" in spec, f"environment.yml pip: {spec!r} is not pinned with =="
                name, version = _split(spec, "==")
                pins[name] = version
        else:
            name, version = _split(item, "=")
            if name in {"python", "pip"}:
                continue
            assert version, f"environment.yml: {item!r} is not pinned"
            pins[name] = version.lstrip("=")
    return pins


def test_same_packages():
    py, env = pyproject_pins(), environment_pins()
    assert sorted(set(py) - set(env)) == [], "in pyproject.toml, missing from environment.yml"
    assert sorted(set(env) - set(py)) == [], "in environment.yml, missing from pyproject.toml"


def test_same_pins():
    py, env = pyproject_pins(), environment_pins()
    differ = {n: (py[n], env[n]) for n in py if n in env and py[n] != env[n]}
    assert differ == {}


def test_python_version_and_editable_install():
    data = yaml.safe_load((REPO_ROOT / "environment.yml").read_text("utf-8"))
    deps = data["dependencies"]
    assert "python=3.11" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip
