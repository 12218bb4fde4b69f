"""Batch runs: execute the notebooks with papermill (in-process), export HTML, index, manifest.

``dumpscope run DUMP... --out DIR`` calls :func:`run`. For one evidence file ``DIR`` is the run
folder; for several files (or a folder of files) each gets ``DIR/<dump stem>/`` and ``DIR`` gets a
top ``index.html`` and ``manifest.json``. A run folder holds::

    index.html            links to the reports and executed notebooks
    manifest.json         evidence hashes, parameters, versions, git, times, hash of every file
    NN-verb-object.html   one offline report per notebook (code hidden)
    notebooks/NN-verb-object.ipynb   executed notebooks (papermill; kept when a cell fails)
    work/                 intake outputs, cached frames, sections (personal data: not for sharing)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dumpscope import manifest as manifest_mod
from dumpscope import params as params_mod
from dumpscope.errors import DumpscopeError, IntegrityError, ParameterError
from dumpscope.paths import NOTEBOOKS_DIR, REPO_ROOT

#: Notebooks of a report, in run order (contracts §9). Absent ones are skipped with a note.
DEFAULT_NOTEBOOKS = (
    "00-inspect-evidence",
    "10-profile-columns",
    "20-count-persons",
    "21-detect-sensitive",
    "30-map-geography",
    "31-trace-labs-timeline",
    "40-assess-authenticity",
    "90-summarize-report",
)
#: Files of a dump folder that are not evidence (the generator's side files).
_SIDE_SUFFIXES = (".truth.json", ".labels.csv")
KERNEL_NAME = "python3"


class NotebookError(DumpscopeError):
    """A notebook failed while running; the partial executed notebook is kept."""


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass
class NotebookRun:
    """One executed notebook of a run."""

    name: str
    seconds: float
    output: Path
    html: Path | None = None
    title: str = ""


@dataclass
class RunResult:
    """Outcome of a run folder (one evidence file).

    Attributes
    ----------
    run_dir : Path
        The run folder.
    dump : Path
        The evidence file.
    notebooks : list of NotebookRun
        Executed notebooks, in order.
    skipped : list of str
        Notebooks of the plan absent from the notebooks folder.
    index : Path
        ``run_dir/index.html``.
    manifest : Path
        ``run_dir/manifest.json``.
    """

    run_dir: Path
    dump: Path
    notebooks: list[NotebookRun] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    index: Path | None = None
    manifest: Path | None = None


@dataclass
class BatchResult:
    """Outcome of :func:`run`: the top folder, its index and manifest, one result per dump."""

    out_dir: Path
    runs: list[RunResult]
    index: Path
    manifest: Path


def collect_dumps(paths: Iterable[Path | str]) -> tuple[list[Path], bool]:
    """Evidence files named on the command line; folders are expanded (non-recursive).

    Files of a folder that are hidden or the generator's side files (``*.truth.json``,
    ``*.labels.csv``) are left out.

    Returns
    -------
    (list of Path, bool)
        Absolute files in order; ``True`` when the run needs one sub-folder per dump (several
        files, or any folder given).

    Raises
    ------
    DumpscopeError
        A path does not exist, a folder holds no file, or two dumps share a file stem.
    """
    files: list[Path] = []
    per_dump = False
    paths = list(paths)
    if not paths:
        raise DumpscopeError("no evidence file given")
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if path.is_dir():
            per_dump = True
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and not p.name.startswith(".")
                and not p.name.endswith(_SIDE_SUFFIXES)
            )
            if not found:
                raise DumpscopeError(f"folder holds no evidence file: {path}")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise DumpscopeError(f"evidence file not found: {raw}")
    if len(files) > 1:
        per_dump = True
    stems: dict[str, Path] = {}
    for path in files:
        if path.stem in stems:
            raise DumpscopeError(
                f"two evidence files share the name {path.stem!r}: {stems[path.stem]} and {path}"
                " (each gets a report folder named after it)"
            )
        stems[path.stem] = path
    return files, per_dump


def plan_notebooks(
    names: Iterable[str] = DEFAULT_NOTEBOOKS, notebooks_dir: Path = NOTEBOOKS_DIR
) -> tuple[list[Path], list[str]]:
    """Notebook files to run and names skipped because absent.

    Returns
    -------
    (list of Path, list of str)
    """
    present, skipped = [], []
    for name in names:
        path = Path(notebooks_dir) / f"{name}.ipynb"
        (present if path.is_file() else skipped).append(path if path.is_file() else name)
    return present, skipped


def _prepare_out(out_dir: Path) -> None:
    if out_dir.exists():
        if not out_dir.is_dir():
            raise DumpscopeError(f"--out exists and is not a folder: {out_dir}")
        if any(out_dir.iterdir()):
            raise DumpscopeError(f"--out folder is not empty: {out_dir} (choose a new folder)")
    out_dir.mkdir(parents=True, exist_ok=True)


def _notebook_title(path: Path, lang: str = "fr") -> str:
    """The first markdown heading of a notebook in ``lang`` (cells tagged for another language
    are skipped), or the file stem."""
    from dumpscope.report.html import other_language_tags

    skip = other_language_tags(lang)
    nb = params_mod.read_notebook_json(path)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            if skip & set(cell.get("metadata", {}).get("tags", [])):
                continue
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else source
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def _quiet_kernel_manager() -> type:
    """A kernel manager whose kernel process does not write to our stderr.

    ipykernel 7 prints a "running over TCP without encryption" warning at every start; cell
    output still reaches the notebook (it travels over ZMQ), and a dead kernel still raises.
    """
    import subprocess

    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw.setdefault("stderr", subprocess.DEVNULL)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


def _execute(path: Path, output: Path, parameters: dict[str, Any]) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    # papermill's own parameter parser warns about names it cannot parse (comments with quotes)
    # and "unknown" parameters; dumpscope.params has already validated them.
    pm_log = logging.getLogger("papermill")
    level = pm_log.level
    pm_log.setLevel(logging.ERROR)
    try:
        pm.execute_notebook(
            str(path),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(REPO_ROOT),
            progress_bar=False,
            log_output=False,
            kernel_manager_class=_quiet_kernel_manager(),
        )
    except PapermillExecutionError as exc:
        where = f"cell {exc.cell_index} (In [{exc.exec_count}])"
        raise NotebookError(
            f"notebook {path.stem} failed at {where}: {exc.ename}: {exc.evalue} "
            f"(partial notebook kept: {output})"
        ) from None
    except DumpscopeError:
        raise
    except Exception as exc:  # kernel death, missing kernel, I/O: still one clear line
        raise NotebookError(
            f"notebook {path.stem} could not run: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        pm_log.setLevel(level)


def _evidence_digest(dump: Path) -> dict[str, Any]:
    digest = manifest_mod.file_digest(dump)
    return {"path": str(dump), "name": dump.name, **digest}


def _check_evidence(run_dir: Path, dump: Path, before: dict[str, Any]) -> dict[str, Any]:
    """Re-hash the evidence and compare with the hash before the run and with intake."""
    import json

    after = _evidence_digest(dump)
    if after["sha256"] != before["sha256"] or after["bytes"] != before["bytes"]:
        raise IntegrityError(
            f"evidence {dump} changed during the run: SHA-256 {before['sha256']} before, "
            f"{after['sha256']} after"
        )
    intake_path = run_dir / "work" / "intake.json"
    if intake_path.is_file():
        recorded = json.loads(intake_path.read_text("utf-8")).get("evidence", {}).get("sha256")
        if recorded and recorded != after["sha256"]:
            raise IntegrityError(
                f"evidence {dump} does not match intake: SHA-256 {recorded} at intake, "
                f"{after['sha256']} now"
            )
    return after


def _footer(dump_digest: dict[str, Any], started: str) -> str:
    import dumpscope

    return (
        f"dumpscope {dumpscope.__version__} · evidence {dump_digest['name']} "
        f"SHA-256 {dump_digest['sha256']} · run started {started} · integrity: manifest.json"
    )


def run_one(
    dump: Path,
    run_dir: Path,
    plan: dict[str, dict[str, Any]],
    notebooks: list[Path],
    skipped: list[str],
    *,
    progress: Progress = _quiet,
) -> RunResult:
    """Run the planned notebooks on one evidence file into ``run_dir`` (already created).

    Parameters
    ----------
    dump : Path
        Evidence file.
    run_dir : Path
        Empty run folder.
    plan : dict
        Notebook name -> validated parameters (:func:`dumpscope.params.plan_parameters`).
    notebooks : list of Path
        Notebook files, in order.
    skipped : list of str
        Names absent (recorded in the index and manifest).
    progress : callable
        Receives one line per notebook.

    Returns
    -------
    RunResult

    Raises
    ------
    NotebookError
        A notebook failed (nothing after it runs; no HTML, index or manifest written).
    IntegrityError
        The evidence changed during the run or does not match intake.
    """
    from dumpscope.report.html import export_html
    from dumpscope.report.index import write_run_index

    started = manifest_mod.utc_now()
    before = _evidence_digest(dump)
    result = RunResult(run_dir=run_dir, dump=dump, skipped=list(skipped))
    lang = next(iter(plan.values()))["lang"] if plan else "fr"
    for path in notebooks:
        name = path.stem
        output = run_dir / "notebooks" / f"{name}.ipynb"
        output.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        progress(f"  {name} ...")
        _execute(path, output, plan[name])
        seconds = time.perf_counter() - t0
        progress(f"  {name} done in {seconds:.1f} s")
        result.notebooks.append(
            NotebookRun(name, seconds, output, title=_notebook_title(path, lang))
        )
    digest = _check_evidence(run_dir, dump, before)
    footer = _footer(digest, started)
    for nb in result.notebooks:
        nb.html = export_html(
            nb.output, run_dir / f"{nb.name}.html", title=nb.title, lang=lang, footer=footer
        )
    result.index = write_run_index(run_dir, result, lang=lang, evidence=digest, started=started)
    manifest = manifest_mod.build_manifest(
        run_dir,
        inputs=[digest],
        parameters={"notebooks": plan},
        started_utc=started,
        notebooks=[
            {"name": nb.name, "seconds": round(nb.seconds, 2), "status": "ok"}
            for nb in result.notebooks
        ]
        + [{"name": name, "seconds": None, "status": "skipped"} for name in result.skipped],
    )
    result.manifest = manifest_mod.write_manifest(run_dir, manifest)
    return result


def run(
    dumps: Iterable[Path | str],
    out_dir: Path | str,
    *,
    params_file: Path | str | None = None,
    lang: str = "fr",
    k: int = 10,
    mapping: Path | str | None = None,
    notebooks_dir: Path | str = NOTEBOOKS_DIR,
    names: Iterable[str] = DEFAULT_NOTEBOOKS,
    progress: Progress = _quiet,
) -> BatchResult:
    """Run the report notebooks on one or several evidence files.

    Every parameter of every notebook is validated (unknown or ill-typed: ``ParameterError``)
    before any notebook runs.

    Parameters
    ----------
    dumps : paths
        Evidence files or folders of evidence files.
    out_dir : Path or str
        New (or empty) output folder.
    params_file : Path or str, optional
        YAML parameters (:func:`dumpscope.params.load_params_file`); overrides ``lang``/``k``.
    lang : str
        ``fr`` or ``en``.
    k : int
        Small-count suppression threshold.
    mapping : Path or str, optional
        YAML file forcing column roles.
    notebooks_dir : Path or str
        Where the notebooks are (tests use fake ones).
    names : iterable of str
        Notebook names in run order; absent ones are skipped with a note.
    progress : callable
        Receives progress lines (the CLI prints them).

    Returns
    -------
    BatchResult
        ``runs`` (one :class:`RunResult` per dump), ``index`` and ``manifest`` of ``out_dir``
        (for a single file, the run folder's own).

    Raises
    ------
    DumpscopeError
        Bad input paths, non-empty ``out_dir``, ``ParameterError``, ``NotebookError``,
        ``IntegrityError``.
    """
    files, per_dump = collect_dumps(dumps)
    out_dir = Path(out_dir).expanduser().resolve()
    notebooks, skipped = plan_notebooks(names, Path(notebooks_dir))
    if not notebooks:
        raise DumpscopeError(f"no notebook to run in {notebooks_dir}")
    for name in skipped:
        progress(f"note: notebook {name} not present in {notebooks_dir}: skipped")
    schemas = {p.stem: params_mod.notebook_schema(p) for p in notebooks}
    file_params = params_mod.load_params_file(params_file) if params_file else None
    mapping_path = ""
    if mapping:
        mapping_file = Path(mapping).expanduser().resolve()
        if not mapping_file.is_file():
            raise ParameterError(f"mapping file not found: {mapping}")
        mapping_path = str(mapping_file)
    plans: list[tuple[Path, Path, dict]] = []
    for dump in files:
        run_dir = out_dir / dump.stem if per_dump else out_dir
        common = {
            "dump_path": str(dump),
            "run_dir": str(run_dir),
            "lang": lang,
            "k": k,
            "mapping_path": mapping_path,
        }
        plans.append((dump, run_dir, params_mod.plan_parameters(schemas, common, file_params)))
    _prepare_out(out_dir)
    results = []
    for dump, run_dir, plan in plans:
        if per_dump:
            run_dir.mkdir()
        progress(f"{dump.name} -> {run_dir}")
        results.append(run_one(dump, run_dir, plan, notebooks, skipped, progress=progress))
    if not per_dump:
        only = results[0]
        return BatchResult(out_dir, results, only.index, only.manifest)
    return _finish_batch(out_dir, results, plans)


def _finish_batch(out_dir: Path, results: list[RunResult], plans: list) -> BatchResult:
    from dumpscope.report.index import write_batch_index

    started = min(
        manifest_mod.load_manifest(r.run_dir)["started_utc"] for r in results if r.manifest
    )
    index = write_batch_index(out_dir, results, lang=plans[0][2][next(iter(plans[0][2]))]["lang"])
    manifest = manifest_mod.build_manifest(
        out_dir,
        inputs=[manifest_mod.load_manifest(r.run_dir)["inputs"][0] for r in results],
        parameters={"runs": {run_dir.name: plan for _, run_dir, plan in plans}},
        started_utc=started,
        notebooks=[],
        extra={"runs": [r.run_dir.name for r in results]},
    )
    return BatchResult(out_dir, results, index, manifest_mod.write_manifest(out_dir, manifest))
