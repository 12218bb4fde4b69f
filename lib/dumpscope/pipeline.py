"""The notebook side of a run: ``open_run(globals(), notebook=...)`` gives a :class:`RunContext`.

Every notebook starts with::

    import dumpscope.pipeline
    ctx = dumpscope.pipeline.open_run(globals(), notebook="20-count-persons")

which validates the notebook's parameters against its own ``parameters`` cell and gives cached
access to the stages (intake, working copy, roles, normalized view, reference, person links),
the section store (``run_dir/work/sections/<name>.json``) and display helpers (static SVG charts,
escaped and k-suppressed tables, markdown sentences).

The other stages are imported lazily inside the methods, so this module imports on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dumpscope import params as params_mod
from dumpscope.errors import DumpscopeError, IntegrityError, ParameterError
from dumpscope.paths import NOTEBOOKS_DIR, REPO_ROOT, REPORTS_DIR

_SECTION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_HASH_CHUNK = 1 << 20
#: Optional notebook parameters forwarded to ``run_intake`` (forced format).
_INTAKE_OPTIONS = ("encoding", "delimiter", "quotechar", "header_row")
#: Cache-key format; bump to invalidate every cached frame.
CACHE_VERSION = 1


def resolve_path(value: str | os.PathLike[str]) -> Path:
    """A path parameter made absolute: relative paths are relative to the repository root.

    Notebooks run with cwd = repository root (papermill) or the notebook folder (nbval,
    JupyterLab); anchoring on the root makes both work.
    """
    path = Path(value).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path)


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_json_atomic(path: Path, data: Any) -> Path:
    """Write JSON deterministically (sorted keys, 2-space indent, UTF-8, final newline), atomically.

    Dates and datetimes become ISO strings, paths strings, sets and frozensets sorted lists,
    tuples lists. Anything else that JSON cannot hold raises ``TypeError``.
    """
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON-serializable: {type(value).__name__} {value!r}")


#: What each cached stage depends on, relative to the package (``data/`` = repository data).
_CODE_DEPENDENCIES = {
    "intake": ("intake",),
    "roles": ("intake", "roles", "reference.py", "data/reference"),
    "view": ("intake", "roles", "reference.py", "data/reference"),
    "links": ("intake", "roles", "reference.py", "data/reference", "analyses/persons.py"),
    "duplicates": ("intake", "frames.py"),
    "detections": ("intake", "roles", "reference.py", "data/reference", "analyses/sensitive"),
}


def code_fingerprint(stage: str) -> str:
    """SHA-256 over the source files (and reference data) a cached stage depends on.

    A cached intake or frame is reused only when this is unchanged, so editing the library never
    serves a stale view (interactive folders and nbval reuse ``reports/interactive/<stem>``).

    Parameters
    ----------
    stage : str
        ``intake``, ``roles``, ``view``, ``links`` or ``detections`` (anything else: the whole
        package).

    Returns
    -------
    str
        Hex digest.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for part in _CODE_DEPENDENCIES.get(stage, ("",)):
        root = REPO_ROOT / part if part.startswith("data/") else package / part
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def default_run_dir(dump_path: Path) -> Path:
    """``reports/interactive/<dump stem>``: where interactive sessions keep their work."""
    return REPORTS_DIR / "interactive" / Path(dump_path).stem


def notebook_path(notebook: str) -> Path:
    """The ``.ipynb`` file for a notebook name (``NN-verb-object``) or path."""
    if notebook.endswith(".ipynb"):
        return resolve_path(notebook)
    return NOTEBOOKS_DIR / f"{notebook}.ipynb"


@dataclass
class _Intake:
    """Stand-in for ``dumpscope.intake.IntakeResult`` when rebuilding one from the cache."""

    record: dict
    working_path: Path
    quarantine_path: Path


@dataclass
class RunContext:
    """What a notebook needs from a run: validated parameters, cached stages, section store.

    Attributes
    ----------
    notebook : str
        Notebook name (``NN-verb-object``).
    params : dict
        Validated parameters (every declared name).
    dump_path : Path
        Evidence file, absolute.
    run_dir : Path
        Run folder, absolute (created).
    work_dir : Path
        ``run_dir/work`` (created): intake outputs, cached frames, sections.
    """

    notebook: str
    params: dict[str, Any]
    dump_path: Path
    run_dir: Path
    work_dir: Path
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ parameters
    @property
    def k(self) -> int:
        """Small-count suppression threshold."""
        return int(self.params["k"])

    @property
    def lang(self) -> str:
        """Report language (``fr`` or ``en``)."""
        return str(self.params["lang"])

    @property
    def sections_dir(self) -> Path:
        """``work/sections``: one JSON file per saved section."""
        return self.work_dir / "sections"

    # ------------------------------------------------------------------ stages
    def mapping(self) -> dict | None:
        """The forced column roles from ``mapping_path`` (YAML mapping), or ``None``."""
        if "mapping" not in self._memo:
            raw = self.params.get("mapping_path") or ""
            if not raw:
                self._memo["mapping"] = None
            else:
                import yaml

                path = resolve_path(raw)
                try:
                    data = yaml.safe_load(path.read_text("utf-8"))
                except FileNotFoundError:
                    raise ParameterError(f"mapping file not found: {path}") from None
                except yaml.YAMLError as exc:
                    raise ParameterError(f"mapping file {path} is not valid YAML: {exc}") from None
                if data is not None and not isinstance(data, dict):
                    raise ParameterError(f"mapping file {path} must be a mapping column: role")
                self._memo["mapping"] = data or None
        return self._memo["mapping"]

    def _intake_options(self) -> dict[str, Any]:
        opts = {}
        for name in _INTAKE_OPTIONS:
            value = self.params.get(name)
            if value not in (None, ""):
                opts[name] = value
        return opts

    def intake(self) -> Any:
        """Run intake once per run folder (``dumpscope.intake.run_intake``) and cache it.

        Reuses ``work/intake.json`` (and the working copy and quarantine beside it) when its
        ``evidence.sha256`` matches the evidence file, the intake code is unchanged
        (:func:`code_fingerprint`) and, if this notebook declares format
        parameters (``encoding``, ``delimiter``, ``quotechar``, ``header_row``), the forced
        options are the same.

        Returns
        -------
        IntakeResult
            ``.record`` (intake.json as a dict), ``.working_path``, ``.quarantine_path``.
        """
        if "intake" in self._memo:
            return self._memo["intake"]
        if not self.dump_path.is_file():
            from dumpscope.errors import IntakeError

            raise IntakeError(f"evidence file not found: {self.dump_path}")
        record_path = self.work_dir / "intake.json"
        options = self._intake_options()
        evidence_sha = self.evidence_sha256()
        result = None
        if record_path.is_file():
            record = json.loads(record_path.read_text("utf-8"))
            cached = _read_json(self.work_dir / "intake.options.json") or {}
            cached_opts = cached.get("options")
            working = self.work_dir / "working.parquet"
            quarantine = self.work_dir / "quarantine.parquet"
            declared = any(name in self.params for name in _INTAKE_OPTIONS)
            if (
                record.get("evidence", {}).get("sha256") == evidence_sha
                and (cached_opts == options or not declared)
                and cached.get("code") == code_fingerprint("intake")
                and working.is_file()
            ):
                result = _make_intake_result(record, working, quarantine)
        if result is None:
            from dumpscope.intake import run_intake

            result = run_intake(self.dump_path, self.work_dir, **options)
            write_json_atomic(
                self.work_dir / "intake.options.json",
                {"options": options, "code": code_fingerprint("intake")},
            )
            recorded = result.record.get("evidence", {}).get("sha256")
            if recorded and recorded != evidence_sha:
                raise IntegrityError(
                    f"evidence changed while it was read: SHA-256 {recorded} at intake, "
                    f"{evidence_sha} before"
                )
        self._memo["intake"] = result
        return result

    def evidence_sha256(self) -> str:
        """SHA-256 of the evidence file, which keys every cache of the run folder.

        Hashed in full by the first notebook of a run folder; the next ones reuse that digest
        while the file's identity is unchanged (``work/evidence.sha256.json``: size, inode,
        device, modification and status-change times in nanoseconds — any write to the file
        changes the status-change time, which no user can set back). The custody hashes are not
        affected: intake hashes the bytes it reads, notebook 00 re-verifies SHA-256, SHA-1 and
        MD5, and ``dumpscope run`` hashes the evidence in full before and after the notebooks.
        At 10x this saves ~1.3 s per notebook.
        """
        if "evidence_sha256" in self._memo:
            return self._memo["evidence_sha256"]
        stat = self.dump_path.stat()
        identity = {
            "path": str(self.dump_path),
            "bytes": stat.st_size,
            "inode": stat.st_ino,
            "device": stat.st_dev,
            "mtime_ns": stat.st_mtime_ns,
            "ctime_ns": stat.st_ctime_ns,
        }
        record_path = self.work_dir / "evidence.sha256.json"
        known = _read_json(record_path)
        if isinstance(known, dict) and known.get("identity") == identity and known.get("sha256"):
            digest = str(known["sha256"])
        else:
            digest = sha256_file(self.dump_path)
            write_json_atomic(record_path, {"identity": identity, "sha256": digest})
        self._memo["evidence_sha256"] = digest
        return digest

    def working(self):
        """The working copy (``pl.DataFrame``, contracts §4): Utf8 columns + ``_source_line``,
        ``_line_count``."""
        if "working" not in self._memo:
            import polars as pl

            self._memo["working"] = pl.read_parquet(self.intake().working_path)
        return self._memo["working"]

    def scan_working(self):
        """The working copy as a ``pl.LazyFrame`` over ``work/working.parquet``.

        What the pipeline's stages read: they select the columns they need and run whole-table
        passes on the streaming engine, so the copy is never held whole
        (:mod:`dumpscope.frames`). :meth:`working` is the eager copy, for interactive use.
        """
        import polars as pl

        return pl.scan_parquet(self.intake().working_path)

    def exact_duplicate_rows(self) -> int:
        """Exact duplicate rows of the working copy (:func:`dumpscope.frames.exact_duplicate_rows`),
        cached as ``work/duplicates.json``: the ``records`` (notebook 00) and ``profile``
        (notebook 10) sections both report it."""
        if "duplicates" in self._memo:
            return self._memo["duplicates"]
        path = self.work_dir / "duplicates.json"
        key = json.loads(json.dumps(self._cache_key("duplicates")))
        cached = _read_json(path)
        if isinstance(cached, dict) and cached.get("key") == key:
            value = int(cached["exact_duplicate_rows"])
        else:
            from dumpscope.frames import exact_duplicate_rows

            value = exact_duplicate_rows(self.scan_working())
            write_json_atomic(path, {"key": key, "exact_duplicate_rows": value})
        self._memo["duplicates"] = value
        return value

    def reference(self):
        """French reference data (``dumpscope.reference.load_reference()``), loaded once."""
        if "reference" not in self._memo:
            from dumpscope.reference import load_reference

            self._memo["reference"] = load_reference()
        return self._memo["reference"]

    def _cache_key(self, what: str) -> dict[str, Any]:
        import dumpscope

        mapping = self.mapping()
        return {
            "cache_version": CACHE_VERSION,
            "dumpscope": dumpscope.__version__,
            "what": what,
            "code": code_fingerprint(what),
            "evidence_sha256": self.intake().record.get("evidence", {}).get("sha256"),
            "mapping": json.dumps(mapping, sort_keys=True, default=str) if mapping else None,
        }

    def _cached_frame(self, name: str, compute, *, lazy: bool = False):
        """Frame cached as ``work/<name>.parquet`` with a key file; recomputed when stale.

        ``lazy=True`` returns a ``pl.LazyFrame`` scanning the (fresh) cache file, so that each
        consumer reads only the columns it needs.
        """
        import polars as pl

        if name in self._memo:
            frame = self._memo[name]
            return frame.lazy() if lazy else frame
        path = self.work_dir / f"{name}.parquet"
        key_path = self.work_dir / f"{name}.key.json"
        key = self._cache_key(name)
        fresh = path.is_file() and _read_json(key_path) == json.loads(json.dumps(key))
        if fresh and lazy:
            return pl.scan_parquet(path)
        frame = pl.read_parquet(path) if fresh else None
        if frame is None:
            frame = compute()
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            frame.write_parquet(tmp)
            tmp.replace(path)
            write_json_atomic(key_path, key)
        self._memo[name] = frame
        return frame.lazy() if lazy else frame

    def roles(self):
        """Column roles (``dumpscope.roles.detect_roles``), cached as ``work/roles.parquet``.

        Returns
        -------
        pl.DataFrame
            ``column, original, role, confidence, evidence, forced`` (contracts §8).
        """

        def compute():
            from dumpscope.roles import detect_roles

            return detect_roles(
                self.scan_working(),
                self.intake().record["columns"],
                self.mapping(),
                reference=self.reference(),
            )

        return self._cached_frame("roles", compute)

    def _compute_view(self):
        from dumpscope.roles import normalize

        return normalize(self.scan_working(), self.roles(), self.reference())

    def view(self):
        """The normalized view (``dumpscope.roles.normalize``, contracts §5), cached as
        ``work/view.parquet``."""
        return self._cached_frame("view", self._compute_view)

    def scan_view(self):
        """The normalized view as a ``pl.LazyFrame`` over ``work/view.parquet`` (built first
        when missing or stale). What the pipeline's analyses read: each selects only its
        columns, so the 45-column view is never held whole by a stage (bench/analysis.md)."""
        return self._cached_frame("view", self._compute_view, lazy=True)

    def links(self):
        """Person links (``dumpscope.analyses.persons.link(view)``), cached as
        ``work/links.parquet``."""

        def compute():
            from dumpscope.analyses.persons import link

            return link(self.scan_view())

        return self._cached_frame("links", compute)

    def detections(self):
        """Sensitive health mentions (``dumpscope.analyses.sensitive.detect(view)``, default
        rules), cached as ``work/detections.parquet``: notebooks 20 and 21 both need them."""

        def compute():
            from dumpscope.analyses.sensitive import detect

            return detect(self.scan_view())

        return self._cached_frame("detections", compute)

    # ------------------------------------------------------------------ sections
    def section_path(self, name: str) -> Path:
        """``work/sections/<name>.json`` (name: lower snake case)."""
        if not _SECTION_NAME.match(name):
            raise DumpscopeError(f"invalid section name {name!r} (use lower snake case)")
        return self.sections_dir / f"{name}.json"

    def save_section(self, name: str, data: dict) -> Path:
        """Save a findings section as deterministic JSON (sorted keys) in ``work/sections/``.

        Parameters
        ----------
        name : str
            Section key (``evidence``, ``records``, ``persons``...).
        data : dict
            JSON-serializable (dates become ISO strings, sets sorted lists).

        Returns
        -------
        Path
            The file written.
        """
        if not isinstance(data, dict):
            raise DumpscopeError(f"section {name!r} must be a dict, got {type(data).__name__}")
        return write_json_atomic(self.section_path(name), data)

    def load_section(self, name: str) -> dict:
        """Read a section saved by this or an earlier notebook of the run.

        Raises
        ------
        DumpscopeError
            The section has not been saved in this run folder.
        """
        path = self.section_path(name)
        try:
            return json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise DumpscopeError(
                f"section {name!r} not found in {self.sections_dir}: run the notebook that "
                f"produces it first"
            ) from None

    def sections(self) -> dict[str, dict]:
        """Every saved section, by name (sorted)."""
        if not self.sections_dir.is_dir():
            return {}
        return {
            p.stem: json.loads(p.read_text("utf-8"))
            for p in sorted(self.sections_dir.glob("*.json"))
        }

    # ------------------------------------------------------------------ display
    def show_chart(self, chart: Any) -> None:
        """Display an altair chart as a static SVG (vl-convert; no JavaScript in the report)."""
        from dumpscope.report.charts import show_chart

        show_chart(chart)

    def show_table(self, frame, count_columns=None, **kwargs: Any) -> None:
        """Display an escaped HTML table; values of ``count_columns`` below ``k`` shown as ``< k``.

        ``count_columns=None`` treats every integer column as a count (see
        :func:`dumpscope.report.tables.render_table`, which receives the other keyword arguments).
        """
        from dumpscope.report.tables import show_table

        show_table(frame, k=self.k, count_columns=count_columns, **kwargs)

    def say(self, text: str) -> None:
        """Display a markdown sentence (HTML special characters escaped)."""
        from IPython.display import Markdown, display

        display(Markdown(escape_markdown_html(text)))


def escape_markdown_html(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so markdown text cannot carry raw HTML into a report."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _make_intake_result(record: dict, working: Path, quarantine: Path) -> Any:
    try:
        from dumpscope.intake import IntakeResult
    except ImportError:
        return _Intake(record, working, quarantine)
    try:
        return IntakeResult(record=record, working_path=working, quarantine_path=quarantine)
    except TypeError:
        return _Intake(record, working, quarantine)


def open_run(namespace: dict[str, Any], notebook: str) -> RunContext:
    """Validate a notebook's parameters and open its run folder.

    Parameters
    ----------
    namespace : dict
        The notebook's ``globals()`` (after the parameters and injected-parameters cells).
    notebook : str
        Notebook name ``NN-verb-object`` (looked up in ``notebooks/``) or a ``.ipynb`` path.

    Returns
    -------
    RunContext
        ``params`` holds every declared parameter; ``run_dir`` (``""`` =
        ``reports/interactive/<dump stem>``) and ``run_dir/work`` are created.

    Raises
    ------
    ParameterError
        A declared parameter has the wrong type, ``lang``/``k`` out of range, or the notebook's
        parameters cell is malformed. (Unknown names cannot be told from imports in
        ``globals()``: the runner rejects them before the notebook starts.)
    """
    path = notebook_path(notebook)
    label = path.stem
    schema = params_mod.notebook_schema(path)
    values = params_mod.validate(
        params_mod.values_from_namespace(namespace, schema), schema, notebook=label
    )
    dump_path = resolve_path(values["dump_path"])
    run_dir = resolve_path(values["run_dir"]) if values["run_dir"] else default_run_dir(dump_path)
    work_dir = run_dir / "work"
    work_dir.mkdir(parents=True, exist_ok=True)
    from dumpscope.report.charts import enable_theme

    enable_theme()
    return RunContext(
        notebook=label, params=values, dump_path=dump_path, run_dir=run_dir, work_dir=work_dir
    )
