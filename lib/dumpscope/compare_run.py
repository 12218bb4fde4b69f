"""``dumpscope compare A B --out DIR``: run the comparison notebook on two evidence files.

Same mechanics as ``dumpscope run`` (:mod:`dumpscope.runner`): parameters validated before the
notebook runs, papermill in-process, evidence re-hashed at the end, offline HTML without code, an
index and a manifest of every file written — with both evidence files as inputs.
"""

from __future__ import annotations

from pathlib import Path

from dumpscope import manifest as manifest_mod
from dumpscope import params as params_mod
from dumpscope import runner
from dumpscope.errors import DumpscopeError, IntakeError
from dumpscope.paths import NOTEBOOKS_DIR

COMPARE_NOTEBOOK = "50-compare-dumps"


def run_compare(
    a: Path | str,
    b: Path | str,
    out_dir: Path | str,
    *,
    lang: str = "fr",
    k: int = 10,
    params_file: Path | str | None = None,
    notebooks_dir: Path | str = NOTEBOOKS_DIR,
    progress: runner.Progress = runner._quiet,
) -> Path:
    """Compare evidence ``a`` (the reference) with ``b`` into the new folder ``out_dir``.

    Returns
    -------
    Path
        The index of the report folder.

    Raises
    ------
    DumpscopeError
        Missing evidence, non-empty ``out_dir``, bad parameters, a failing notebook, or evidence
        that changed during the run.
    """
    a, b = Path(a).expanduser().resolve(), Path(b).expanduser().resolve()
    for path in (a, b):
        if not path.is_file():
            raise IntakeError(f"evidence file not found (or not a file): {path}")
    out_dir = Path(out_dir).expanduser().resolve()
    notebook = Path(notebooks_dir) / f"{COMPARE_NOTEBOOK}.ipynb"
    if not notebook.is_file():
        raise DumpscopeError(f"comparison notebook missing: {notebook}")
    schema = {COMPARE_NOTEBOOK: params_mod.notebook_schema(notebook)}
    common = {
        "dump_path": str(a),
        "other_path": str(b),
        "run_dir": str(out_dir),
        "lang": lang,
        "k": k,
        "mapping_path": "",
    }
    file_params = params_mod.load_params_file(params_file) if params_file else None
    plan = params_mod.plan_parameters(schema, common, file_params)
    runner._prepare_out(out_dir)

    from dumpscope.report.html import export_html
    from dumpscope.report.index import write_run_index

    started = manifest_mod.utc_now()
    before = [runner._evidence_digest(a), runner._evidence_digest(b)]
    result = runner.RunResult(run_dir=out_dir, dump=a, skipped=[])
    output = out_dir / "notebooks" / f"{COMPARE_NOTEBOOK}.ipynb"
    output.parent.mkdir(parents=True, exist_ok=True)
    progress(f"{a.name} vs {b.name} -> {out_dir}")
    t0 = runner.time.perf_counter()
    runner._execute(notebook, output, plan[COMPARE_NOTEBOOK])
    seconds = runner.time.perf_counter() - t0
    progress(f"  {COMPARE_NOTEBOOK} done in {seconds:.1f} s")
    result.notebooks.append(
        runner.NotebookRun(
            COMPARE_NOTEBOOK,
            seconds,
            output,
            title=runner._notebook_title(notebook, plan[COMPARE_NOTEBOOK]["lang"]),
        )
    )
    after = [runner._check_evidence(out_dir, a, before[0]), runner._evidence_digest(b)]
    if after[1]["sha256"] != before[1]["sha256"]:
        raise DumpscopeError(f"evidence {b} changed during the comparison")
    footer = (
        f"A {a.name} SHA-256 {after[0]['sha256']} · B {b.name} SHA-256 {after[1]['sha256']} · "
        f"run started {started} · integrity: manifest.json"
    )
    run_nb = result.notebooks[0]
    lang_ = plan[COMPARE_NOTEBOOK]["lang"]
    run_nb.html = export_html(
        output, out_dir / f"{COMPARE_NOTEBOOK}.html", title=run_nb.title, lang=lang_, footer=footer
    )
    result.index = write_run_index(out_dir, result, lang=lang_, evidence=after[0], started=started)
    manifest = manifest_mod.build_manifest(
        out_dir,
        inputs=after,
        parameters={"notebooks": plan},
        started_utc=started,
        notebooks=[{"name": COMPARE_NOTEBOOK, "seconds": round(seconds, 2), "status": "ok"}],
    )
    result.manifest = manifest_mod.write_manifest(out_dir, manifest)
    return result.index


def write_findings(run_dir: Path | str, section: dict, record_a: dict, record_b: dict) -> Path:
    """Write ``findings.json`` of a comparison: both evidence files and every figure of the
    comparison, deterministic (sorted keys, no timestamps)."""
    from dumpscope.pipeline import write_json_atomic

    def evidence(rec: dict) -> dict:
        ev = rec.get("evidence", {})
        lines = rec.get("lines", {})
        return {
            "name": ev.get("name"),
            "bytes": ev.get("bytes"),
            "sha256": ev.get("sha256"),
            "physical_lines": lines.get("physical"),
            "loaded_records": lines.get("loaded_records"),
            "quarantined_lines": lines.get("quarantined_lines"),
        }

    data = {"evidence": {"a": evidence(record_a), "b": evidence(record_b)}, "compare": section}
    return write_json_atomic(Path(run_dir) / "findings.json", data)
