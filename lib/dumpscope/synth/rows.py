"""Row-level columns: each function writes a group of export columns from the persons' true
state, injects that group's faults, and returns the columns with the state the truth needs."""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from dumpscope.synth import contact, credentials, faults, labs, names, nir
from dumpscope.synth import rates as R
from dumpscope.synth.columns import ALL_COLUMNS, FILLED_TECHNICAL, PATIENT_COLUMNS
from dumpscope.synth.geography import (
    CASE_DEPS,
    Geography,
    invalid_postcodes,
    pick_postcode,
    street_addresses,
)
from dumpscope.synth.series import const, fill_where, pick, scatter, statuses, strings, when


def _invalid_dates(rng: np.random.Generator, n: int) -> pl.Series:
    """Impossible or unreadable dates (never a valid dd/mm/yyyy)."""
    return pl.Series(list(R.INVALID_DATES)).gather(rng.integers(0, len(R.INVALID_DATES), n))


def identity_columns(
    rng: np.random.Generator, nir_rng: np.random.Generator, P: dict, pid: np.ndarray,
    blocked: np.ndarray,
) -> tuple[dict, dict]:  # fmt: skip
    """CIVILITE, NOM_USAGE, NOM_NAISSANCE, PRENOM, SEXE, DATE_NAISSANCE, NUM_SS.

    State: ``civility, sex, sex_decl, nir_status, bd_status, mojibake``.
    """
    n = len(pid)
    civ = P["civility"][pid]
    sex = P["sex"][pid]
    first = P["first"].gather(pid)
    first_out = when(rng.random(n) < R.P_FIRST_NAME_UPPER, first.str.to_uppercase(), first)
    usage_out = P["usage"].gather(pid).str.to_uppercase()
    birth_out = P["birth_name"].gather(pid).str.to_uppercase()
    usage_out = when(~(rng.random(n) < R.P_USAGE_NAME_MISSING), usage_out)
    first_out = when(~(rng.random(n) < R.P_FIRST_NAME_MISSING), first_out)
    # mojibake: first names with lower-case accented letters only (``Hélène`` -> ``HÃ©lÃ¨ne``);
    # upper-case ones (``BENOÃŽT``) are ambiguous even for a careful repairer, so left alone
    eligible = (
        first_out.str.contains(r"[^\x00-\x7F]").fill_null(False)
        & ~first_out.str.contains(r"[À-ÖØ-ÞŒŠŽŸ]").fill_null(True)
    ).to_numpy()
    moji = eligible & (rng.random(n) < R.P_MOJIBAKE) & ~blocked
    mangled = faults.mojibake(first_out)
    moji = moji & (mangled != first_out).fill_null(False).to_numpy()
    first_out = when(moji, mangled, first_out)
    sp = (rng.random(n) < R.P_STRAY_SPACES) & ~moji
    usage_out = when(sp, faults.stray_spaces(rng, usage_out), usage_out)
    sp = (rng.random(n) < R.P_STRAY_SPACES) & ~moji
    first_out = when(sp, faults.stray_spaces(rng, first_out), first_out)
    true_nir = P["nir"].gather(pid)
    key = true_nir.str.slice(13, 2).cast(pl.Int64).to_numpy()
    nir_out, nir_status = nir.apply_nir_faults(nir_rng, true_nir, key, R.NIR_RATES, R.P_NIR_SPACED)
    sex_decl = sex.astype(object).copy()
    sex_decl[rng.random(n) < R.P_SEX_MISSING] = None
    flip = (rng.random(n) < R.P_SEX_FLIPPED) & (nir_status == "valid") & (sex_decl != None)  # noqa: E711
    sex_decl[flip] = np.where(sex[flip] == "F", "M", "F")
    bd_status = statuses(rng, n, R.BIRTH_DATE_RATES)
    bd_out = when(
        bd_status == "valid",
        labs.days_to_str(P["birth_day"][pid]),
        when(bd_status == "invalid", _invalid_dates(rng, n)),
    )
    cols = {
        "CIVILITE": strings(np.where(civ == "missing", None, civ)),
        "NOM_USAGE": usage_out, "NOM_NAISSANCE": birth_out, "PRENOM": first_out,
        "SEXE": strings(sex_decl), "DATE_NAISSANCE": bd_out, "NUM_SS": nir_out,
    }  # fmt: skip
    state = {
        "civility": civ, "sex": sex, "sex_decl": sex_decl, "nir_status": nir_status,
        "bd_status": bd_status, "mojibake": moji,
    }  # fmt: skip
    return cols, state


def address_columns(
    rng: np.random.Generator, geo: Geography, P: dict, pid: np.ndarray
) -> tuple[dict, dict]:
    """ADRESSE1, ADRESSE2, CODE_POSTAL, VILLE, PAYS. State: ``pc_status, res_dep, res_reg``."""
    n = len(pid)
    res_c = P["res_commune"][pid]
    a1, a2 = street_addresses(rng, len(P["res_commune"]))
    pc_true = pick_postcode(geo, rng, P["res_commune"]).gather(pid)
    pc_status = statuses(rng, n, R.POSTCODE_RATES)
    inv = np.flatnonzero(pc_status == "invalid")
    pc_out = when(pc_status == "valid", pc_true)
    pc_out = scatter(pc_out, inv, invalid_postcodes(geo, rng, P["res_dep"][pid][inv]))
    spaces = (rng.random(n) < R.P_POSTCODE_SPACES) & (pc_status == "valid")
    pc_out = when(spaces, pc_out + " ", pc_out)
    city = geo.communes["nom"].gather(res_c)
    cols = {
        "ADRESSE1": a1.gather(pid), "ADRESSE2": a2.gather(pid), "CODE_POSTAL": pc_out,
        "VILLE": when(rng.random(n) < R.P_CITY_UPPER, city.str.to_uppercase(), city),
        "PAYS": when(rng.random(n) < R.P_COUNTRY, const("FRANCE", n)),
    }  # fmt: skip
    state = {
        "pc_status": pc_status, "res_dep": P["res_dep"][pid],
        "res_reg": geo.communes["reg"].to_numpy()[res_c],
    }  # fmt: skip
    return cols, state


def contact_columns(rng: np.random.Generator, P: dict, pid: np.ndarray) -> tuple[dict, dict]:
    """TEL_DOMICILE, TEL_PORTABLE, TEL_TRAVAIL, EMAIL in mixed layouts, some invalid.

    State: ``landline_status`` (first non-empty of TEL_DOMICILE, TEL_TRAVAIL),
    ``mobile_status``, ``email_status``.
    """
    n = len(pid)
    out, state = {}, {}
    for col, has, val in (
        ("TEL_DOMICILE", "has_land", "land"),
        ("TEL_PORTABLE", "has_mob", "mob"),
    ):
        status = np.where(P[has][pid], "valid", "missing").astype(object)
        status[(status == "valid") & (rng.random(n) < R.P_PHONE_INVALID)] = "invalid"
        compact = P[val].gather(pid)
        s = fill_where(
            n, status == "valid", lambda i, c=compact: contact.format_phones(rng, c.gather(i))
        )
        s = fill_where(
            n,
            status == "invalid",
            lambda i, c=compact: contact.invalid_phones(rng, c.gather(i)),
            s,
        )
        out[col] = s
        state[col] = status
    has_work = P["has_work"][pid]
    work = P["work"].gather(pid)
    out["TEL_TRAVAIL"] = fill_where(
        n, has_work, lambda i: contact.format_phones(rng, work.gather(i))
    )
    land = state.pop("TEL_DOMICILE")
    landline = land.copy()
    landline[(land == "missing") & has_work] = "valid"
    mail_status = np.where(P["has_mail"][pid], "valid", "missing").astype(object)
    mail_status[(mail_status == "valid") & (rng.random(n) < R.P_EMAIL_INVALID)] = "invalid"
    mail = P["mail"].gather(pid)
    out["EMAIL"] = fill_where(
        n, mail_status == "invalid", lambda i: contact.invalid_emails(rng, mail.gather(i)),
        when(mail_status == "valid", mail),
    )  # fmt: skip
    return out, {
        "landline_status": landline, "mobile_status": state.pop("TEL_PORTABLE"),
        "email_status": mail_status,
    }  # fmt: skip


def blood_columns(rng: np.random.Generator, n_p: int, pid: np.ndarray) -> tuple[dict, dict]:
    """GROUPE_SANGUIN (A/B/AB/O, O sometimes ``0``) and RHESUS (+/-, POS/NEG, RH+/RH-).

    State: ``blood`` (``A+`` ... or ``missing``).
    """
    n = len(pid)
    group = pick(rng, R.BLOOD_P, n_p)[pid].astype(str)
    filled = rng.random(n) < R.P_BLOOD_FILLED
    pos = np.char.endswith(group, "+")
    abo = np.char.rstrip(np.char.rstrip(group, "+"), "-")
    abo = np.where((abo == "O") & (rng.random(n) < 0.2), "0", abo)
    style = rng.integers(0, 10, n)
    rh = np.where(
        style < 5,
        np.where(pos, "+", "-"),
        np.where(style < 8, np.where(pos, "POS", "NEG"), np.where(pos, "RH+", "RH-")),
    )
    cols = {
        "GROUPE_SANGUIN": strings(np.where(filled, abo, None)),
        "RHESUS": strings(np.where(filled, rh, None)),
    }
    return cols, {"blood": np.where(filled, group, "missing")}


def _surname_only(s: pl.Series) -> pl.Series:
    return s.str.replace(r"^(Dr|DR|DOCTEUR) ", "").str.split(" ").list.first()


def doctor_columns(
    rng: np.random.Generator, geo: Geography, tables: names.NameTables, P: dict,
    pid: np.ndarray, lab_dep: np.ndarray,
) -> tuple[dict, dict]:  # fmt: skip
    """MEDECIN_TRAITANT, CP_MEDECIN_TRAITANT, MEDECIN_PRESCRIPTEUR, CP_PRESCRIPTEUR, EMAIL_MEDECIN.

    State: ``presc_dep`` (prescriber's département or None).
    """
    n = len(pid)
    deps = sorted(geo.by_dep)
    per_dep = {d: (max(40, n // 150) if d in CASE_DEPS else 25) for d in deps}
    k = sum(per_dep.values())
    doc_sex = np.where(rng.random(k) < 0.5, "F", "M")
    docs = labs.build_doctors(
        rng, geo, names.draw_surnames(tables, rng, k),
        names.draw_first_names(tables, rng, doc_sex, np.full(k, 1965)), per_dep,
    )  # fmt: skip
    has_presc = rng.random(n) < R.P_PRESCRIBER
    local = rng.random(n) < labs.P_PRESCRIBER_LOCAL
    od, ocdf = geo.dep_population_cdf([d for d in deps if d not in CASE_DEPS and len(d) == 2])
    far = od[np.minimum(np.searchsorted(ocdf, rng.random(n)), len(od) - 1)]
    presc_dep = np.where(local, lab_dep, far)
    presc = labs.pick_doctors(rng, docs, presc_dep)
    treat = labs.pick_doctors(rng, docs, P["res_dep"])[pid]
    has_treat = (rng.random(len(P["res_dep"])) < R.P_TREATING_DOCTOR)[pid]
    surname = contact.ascii_fold(_surname_only(docs.table["name"].gather(presc)))
    name, pc = docs.table["name"], docs.table["postcode"]
    cols = {
        "MEDECIN_TRAITANT": when(has_treat, name.gather(treat)),
        "CP_MEDECIN_TRAITANT": when(has_treat, pc.gather(treat)),
        "MEDECIN_PRESCRIPTEUR": when(has_presc, name.gather(presc)),
        "CP_PRESCRIPTEUR": when(has_presc, pc.gather(presc)),
        "EMAIL_MEDECIN": when(
            rng.random(n) < R.P_DOCTOR_EMAIL, "cabinet." + surname + "@medecin.fr"
        ),
    }
    return cols, {"presc_dep": np.where(has_presc, presc_dep, None)}


def visit_columns(
    rng: np.random.Generator, n_p: int, pid: np.ndarray, day: np.ndarray, perm: np.ndarray
) -> tuple[dict, dict]:
    """NUM_DOSSIER, MUTUELLE, NUM_ADHERENT, PRELEVEUR, DATE_PRELEVEMENT, DATE_DERNIERE_VISITE,
    LISTE_EXAMENS. State: ``sd_status``, ``lv_written`` (a last-visit date is written)."""
    n = len(pid)
    mut = pl.Series(list(R.MUTUELLES)).gather(rng.integers(0, len(R.MUTUELLES), n_p))
    has_mut = (rng.random(n_p) < R.P_MUTUELLE)[pid]
    adh = pl.Series(rng.integers(10**7, 10**9, n_p)).cast(pl.String)
    sd_status = statuses(rng, n, R.SAMPLE_DATE_RATES)
    end = labs.day_number(labs.PERIOD_END)
    last_visit = np.minimum(day + (rng.random(n) ** 3 * 500).astype(np.int64), end)
    k_exams = rng.integers(1, 6, n)
    exams = pl.Series(list(R.EXAMS))
    # distinct exams per row: offset + i * step (mod m) with a step coprime with m
    m = len(exams)
    steps = np.asarray([k for k in range(1, m) if math.gcd(k, m) == 1])
    offset, step = rng.integers(0, m, n), steps[rng.integers(0, len(steps), n)]
    parts = {f"e{i}": when(k_exams > i, exams.gather((offset + i * step) % m)) for i in range(5)}
    exam_list = pl.DataFrame(parts).select(
        pl.concat_str(list(parts), separator=", ", ignore_nulls=True).alias("x")
    )["x"]
    yymm = pl.Series(day).cast(pl.Int32).cast(pl.Date).dt.strftime("%y%m")
    cols = {
        "NUM_DOSSIER": yymm + pl.Series(perm + 100_000).cast(pl.String).str.zfill(6),
        "MUTUELLE": when(has_mut, mut.gather(pid)),
        "NUM_ADHERENT": when(has_mut & (rng.random(n) < 0.65), adh.gather(pid)),
        "PRELEVEUR": when(
            rng.random(n) < R.P_SAMPLER,
            pl.Series(list(R.SAMPLERS)).gather(rng.integers(0, len(R.SAMPLERS), n)),
        ),
        "DATE_PRELEVEMENT": when(
            sd_status == "valid", labs.days_to_str(day),
            when(sd_status == "invalid", _invalid_dates(rng, n)),
        ),
        "DATE_DERNIERE_VISITE": when(
            (lv_written := rng.random(n) < R.P_LAST_VISIT), labs.days_to_str(last_visit)
        ),
        "LISTE_EXAMENS": when(rng.random(n) < R.P_EXAMS, exam_list),
    }  # fmt: skip
    return cols, {"sd_status": sd_status, "lv_written": lv_written}


def credential_columns(rng: np.random.Generator, P: dict, pid: np.ndarray) -> tuple[dict, dict]:
    """LOGIN_WEB and MDP_WEB (person level). State: ``login, password, pw_strength, pw_derived``."""
    n_p = len(P["sex"])
    has_login = rng.random(n_p) < R.P_LOGIN
    has_pw = has_login & (rng.random(n_p) < R.P_PASSWORD_GIVEN_LOGIN)
    li = np.flatnonzero(has_login)
    fa = contact.ascii_fold(P["first"].gather(li)).fill_null("").to_list()
    la = contact.ascii_fold(P["own"].gather(li)).fill_null("").to_list()
    bds = labs.days_to_str(P["birth_day"][li]).str.replace_all("/", "").to_list()
    mails = when(P["has_mail"][li], P["mail"].gather(li)).to_list()
    logins = credentials.logins(rng, fa, la, mails)
    pws, strength, derived = credentials.build_passwords(rng, fa, la, bds)
    login_p = scatter(const(None, n_p), li, pl.Series(logins, dtype=pl.String))
    pw_p = when(has_pw, scatter(const(None, n_p), li, pl.Series(pws, dtype=pl.String)))
    strength_p = np.full(n_p, None, dtype=object)
    strength_p[li] = strength
    derived_p = np.zeros(n_p, dtype=bool)
    derived_p[li] = derived
    login, pw = login_p.gather(pid), pw_p.gather(pid)
    state = {
        "login": login.is_not_null().to_numpy(), "password": pw.is_not_null().to_numpy(),
        "pw_strength": strength_p[pid], "pw_derived": derived_p[pid],
    }  # fmt: skip
    return {"LOGIN_WEB": login, "MDP_WEB": pw}, state


#: Where each hostile value goes.
HTML_COLUMNS = ("COMMENTAIRE_1", "VILLE")
FORMULA_COLUMNS = ("COMMENTAIRE_2", "ADRESSE2", "NUM_ADHERENT", "ADRESSE2")


def hostile_rows(rng: np.random.Generator, rows: int, base_rows: int) -> tuple[int, np.ndarray]:
    """How many of each hostile value, and the rows (among loaded base rows) that get them."""
    n_each = max(1, int(round(R.HOSTILE_PER_MILLION * rows / 1e6)))
    k = n_each * (len(faults.HTML_VALUES) + len(faults.FORMULA_VALUES) + 1)
    return n_each, rng.choice(np.arange(10, base_rows - 10), size=k, replace=False)


def apply_hostile(cols: dict, n_each: int, chosen: np.ndarray) -> dict[str, list[int]]:
    """Write the hostile values into ``cols`` (in place). Returns ``{html, formula, long_field}``
    -> frame rows."""
    targets: list[tuple[str, str, str]] = []
    for col, v in zip(HTML_COLUMNS, faults.HTML_VALUES, strict=True):
        targets += [("html", col, v)] * n_each
    for col, v in zip(FORMULA_COLUMNS, faults.FORMULA_VALUES, strict=True):
        targets += [("formula", col, v)] * n_each
    filler = ("Compte rendu transmis. " * (faults.LONG_FIELD_CHARS // 23 + 1))[
        : faults.LONG_FIELD_CHARS
    ]
    targets += [("long_field", "COMMENTAIRE_2", filler)] * n_each
    hostile: dict[str, list[int]] = {"html": [], "formula": [], "long_field": []}
    patches: dict[str, tuple[list[int], list[str]]] = {}
    for r, (kind, col, v) in zip(chosen.tolist(), targets, strict=True):
        idx, vals = patches.setdefault(col, ([], []))
        idx.append(r)
        vals.append(v)
        hostile[kind].append(r)
    for col, (idx, vals) in patches.items():
        cols[col] = scatter(cols[col], np.asarray(idx), pl.Series(vals, dtype=pl.String))
    return hostile


def technical_columns(
    rng: np.random.Generator, pid: np.ndarray, lab_code: pl.Series, day: np.ndarray
) -> dict:
    """The technical columns: a few filled (sequence, internal id, site, dates ...), rest empty."""
    n = len(pid)

    def choice(values: list[str]) -> pl.Series:
        return pl.Series(values).gather(rng.integers(0, len(values), n))

    fill = {
        "sequence": lambda: pl.Series(np.arange(1, n + 1)).cast(pl.String),
        "person": lambda: pl.Series(pid + 7_000_001).cast(pl.String),
        "site": lambda: lab_code.str.slice(1),
        "type": lambda: choice(["EXT", "EXT", "EXT", "URG", "INT"]),
        "sample_date": lambda: labs.days_to_str(day - rng.integers(0, 2, n)),
        "user": lambda: choice(["ADMIN", "SEC01", "SEC02", "ACCUEIL", "BIO1"]),
        "status": lambda: choice(["V", "V", "V", "V", "C", "A"]),
        "rate": lambda: when(rng.random(n) < 0.5, choice(["60", "100", "70"])),
        "urgency": lambda: when(rng.random(n) < 0.05, const("U", n)),
        "zero": lambda: const("0", n),
        "source": lambda: const("DXLAB", n),
        "version": lambda: const("3.2.1", n),
        "nb_b": lambda: pl.Series(rng.integers(20, 400, n)).cast(pl.String),
    }
    out = {}
    for col in ALL_COLUMNS:
        if col not in PATIENT_COLUMNS:
            how = FILLED_TECHNICAL.get(col)
            out[col] = const(None, n) if how is None else fill[how]()
    return out
