"""The two free-text comment columns and the per-row sensitive labels they carry.

Each row draws facts (category, qualifier) at fixed rates, with eligibility by sex and age
(pregnancy and fertility for women 15..48 / 22..45 ...), at most one qualifier per category and
one medication class per row. A fact is written with a phrase from :mod:`.phrases` in one of
several surface variants (as written, without accents, upper case, one typo), then the row's
phrases and neutral notes are joined with a separator drawn per comment (``. ``, `` - ``, ``, ``,
`` / ``, ``; `` or a newline). Antiretroviral drugs also make the row ``hiv``/``positive``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import polars as pl

from dumpscope.synth.phrases import DRUGS, MED_TEMPLATES, NEUTRAL, PHRASES

CATEGORIES = (
    "hiv",
    "hepatitis",
    "cancer",
    "genetic",
    "pregnancy",
    "fertility",
    "diabetes",
    "chronic_other",
    "psychiatric",
    "disability",
    "medication",
)
QUALIFIERS = ("positive", "negated", "requested", "family")
MEDICATION_CLASSES = tuple(DRUGS)

#: Row rates of each (category, qualifier) among eligible rows (see ``_eligible``).
FACT_RATES: dict[tuple[str, str], float] = {
    ("hiv", "positive"): 0.0015,
    ("hiv", "negated"): 0.004,
    ("hiv", "requested"): 0.005,
    ("hiv", "family"): 0.0003,
    ("hepatitis", "positive"): 0.002,
    ("hepatitis", "negated"): 0.003,
    ("hepatitis", "requested"): 0.004,
    ("hepatitis", "family"): 0.0004,
    ("cancer", "positive"): 0.007,
    ("cancer", "negated"): 0.001,
    ("cancer", "requested"): 0.002,
    ("cancer", "family"): 0.003,
    ("genetic", "positive"): 0.0012,
    ("genetic", "negated"): 0.0005,
    ("genetic", "requested"): 0.001,
    ("genetic", "family"): 0.0008,
    ("pregnancy", "positive"): 0.05,
    ("pregnancy", "negated"): 0.008,
    ("pregnancy", "requested"): 0.015,
    ("fertility", "positive"): 0.012,
    ("fertility", "negated"): 0.002,
    ("fertility", "requested"): 0.005,
    ("diabetes", "positive"): 0.015,
    ("diabetes", "negated"): 0.002,
    ("diabetes", "requested"): 0.003,
    ("diabetes", "family"): 0.004,
    ("chronic_other", "positive"): 0.02,
    ("chronic_other", "negated"): 0.001,
    ("chronic_other", "requested"): 0.0008,
    ("chronic_other", "family"): 0.003,
    ("psychiatric", "positive"): 0.004,
    ("psychiatric", "negated"): 0.0005,
    ("psychiatric", "family"): 0.0005,
    ("disability", "positive"): 0.003,
}
#: Row rates of each medication class among eligible rows.
MED_RATES = {
    "antiretroviral": 0.0006,
    "anticoagulant": 0.008,
    "insulin": 0.003,
    "thyroid": 0.008,
    "antidiabetic_oral": 0.005,
    "antidepressant": 0.004,
    "antipsychotic": 0.0015,
    "chemotherapy": 0.001,
    "hormonal_fertility": 0.02,
    "other": 0.006,
}
P_NEUTRAL_1 = 0.28
P_NEUTRAL_2 = 0.06
P_SLOT_1 = 0.7
P_SIGNATURE = 0.004  # a second line ("\nDr prévenu") -> multi-line record
SEPARATORS = {". ": 40, " - ": 20, ", ": 20, " / ": 8, "\n": 6, "; ": 6}
SIGNATURES = ["Dr prévenu", "vu avec le biologiste", "à recontrôler", "RAS", "cf. courrier joint"]


def _render(template: str, sex: str) -> str:
    out = template.replace("{e}", "e" if sex == "F" else "")
    while "{" in out:
        i = out.index("{")
        j = out.index("}", i)
        m, f = out[i + 1 : j].split("/")
        out = out[:i] + (f if sex == "F" else m) + out[j + 1 :]
    return out


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def _typo(s: str) -> str:
    """Swap two adjacent letters inside the longest word (deterministic)."""
    words = s.split(" ")
    k = max(range(len(words)), key=lambda i: len(words[i]))
    w = words[k]
    if len(w) < 4:
        return s
    p = len(w) // 2
    words[k] = w[: p - 1] + w[p] + w[p - 1] + w[p + 1 :]
    return " ".join(words)


def _variants(text: str) -> list[tuple[str, float]]:
    out = [(text, 0.55), (_strip_accents(text), 0.2), (text.upper(), 0.08), (_typo(text), 0.07)]
    if text[:1].islower():
        out.append((text[:1].upper() + text[1:], 0.1))
    merged: dict[str, float] = {}
    for t, w in out:
        if t:
            merged[t] = merged.get(t, 0.0) + w
    return list(merged.items())


@dataclass(frozen=True)
class Pool:
    """Phrase strings (String Series) and their cumulative weights."""

    values: pl.Series
    cdf: np.ndarray

    @staticmethod
    def of(templates: list[str], sex: str) -> Pool:
        vals: list[str] = []
        ws: list[float] = []
        for t in templates:
            for v, w in _variants(_render(t, sex)):
                vals.append(v)
                ws.append(w / len(templates))
        c = np.cumsum(ws)
        return Pool(pl.Series(vals, dtype=pl.String), c / c[-1])

    def draw(self, rng: np.random.Generator, n: int) -> pl.Series:
        return self.values.gather(
            np.minimum(np.searchsorted(self.cdf, rng.random(n)), len(self.values) - 1)
        )


def _pools() -> tuple[dict, dict, dict]:
    facts = {(k, s): Pool.of(v, s) for k, v in PHRASES.items() for s in ("F", "M")}
    meds = {
        (c, s): Pool.of([t.replace("{drug}", d) for t in MED_TEMPLATES for d in drugs], s)
        for c, drugs in DRUGS.items()
        for s in ("F", "M")
    }
    neutral = {s: Pool.of(NEUTRAL, s) for s in ("F", "M")}
    return facts, meds, neutral


def _eligible(cat: str, sex: np.ndarray, age: np.ndarray) -> np.ndarray:
    if cat == "pregnancy":
        return (sex == "F") & (age >= 15) & (age <= 48)
    if cat in ("fertility", "hormonal_fertility"):
        return (sex == "F") & (age >= 22) & (age <= 45)
    if cat in ("genetic", "disability", "insulin", "other"):
        return np.ones(len(sex), dtype=bool)
    return age >= 15


@dataclass(frozen=True)
class Comments:
    """``COMMENTAIRE_1``/``_2`` (String Series), per-category qualifier arrays (object arrays of
    qualifier or None, keyed by category) and the medication class array."""

    comment_1: pl.Series
    comment_2: pl.Series
    labels: dict[str, np.ndarray]
    medication_class: np.ndarray


def _fill(n: int, where: np.ndarray, values: pl.Series) -> pl.Series:
    """A length-``n`` String Series with ``values`` at positions ``where``, null elsewhere."""
    idx = np.full(n, -1, dtype=np.int64)
    idx[where] = np.arange(len(where))
    return (
        pl.DataFrame({"i": idx}).select(
            pl.when(pl.col("i") >= 0)
            .then(values.gather(np.maximum(idx, 0)))
            .otherwise(None)
            .alias("v")
        )["v"]
        if len(values)
        else pl.Series("v", [None] * n, dtype=pl.String)
    )


def _join(rng: np.random.Generator, parts: list[pl.Series]) -> pl.Series:
    """Join the non-null parts of each row with a separator drawn per row (null if none)."""
    n = len(parts[0])
    names = list(SEPARATORS)
    p = np.asarray(list(SEPARATORS.values()), dtype=np.float64)
    sep = np.asarray(names)[rng.choice(len(names), n, p=p / p.sum())]
    cols = {f"p{i}": s for i, s in enumerate(parts)}
    df = pl.DataFrame({**cols, "sep": sep})
    joined = pl.concat_str(list(cols), separator="\x1f", ignore_nulls=True)
    out = df.select(joined.str.replace_all("\x1f", pl.col("sep"), literal=True).alias("c"))["c"]
    return out.replace("", None)


def build_comments(
    rng: np.random.Generator, sex: np.ndarray, age: np.ndarray, blocked: np.ndarray
) -> Comments:
    """Draw the facts and write the two comment columns.

    Parameters
    ----------
    sex : true sex ``F``/``M`` per row; age : age in years at the sample date per row;
    blocked : rows that must carry no comment (hostile-value rows, which get their own).
    """
    n = len(sex)
    facts_pool, med_pool, neutral_pool = _pools()
    female = sex == "F"
    # integer codes: qualifier index + 1 per category, medication class index + 1 (0 = none)
    code = {c: np.zeros(n, dtype=np.int8) for c in CATEGORIES}
    med = np.zeros(n, dtype=np.int8)
    for cls, rate in MED_RATES.items():
        hit = (rng.random(n) < rate) & _eligible(cls, sex, age) & (med == 0) & ~blocked
        med[hit] = MEDICATION_CLASSES.index(cls) + 1
    for (cat, qual), rate in FACT_RATES.items():
        hit = (rng.random(n) < rate) & _eligible(cat, sex, age) & (code[cat] == 0) & ~blocked
        code[cat][hit] = QUALIFIERS.index(qual) + 1
    arv = med == MEDICATION_CLASSES.index("antiretroviral") + 1
    positive = QUALIFIERS.index("positive") + 1
    # an antiretroviral means HIV positive: drop any other HIV phrase on those rows
    code["hiv"][arv & (code["hiv"] != positive)] = 0
    phrase_rows: dict[str, tuple[np.ndarray, pl.Series]] = {}
    for cat in CATEGORIES[:-1]:
        where_all, vals = [], []
        for q, qual in enumerate(QUALIFIERS, start=1):
            if (cat, qual) not in PHRASES:
                continue
            for s, is_f in (("F", female), ("M", ~female)):
                w = np.flatnonzero((code[cat] == q) & is_f)
                if len(w):
                    where_all.append(w)
                    vals.append(facts_pool[(cat, qual), s].draw(rng, len(w)))
        if where_all:
            phrase_rows[cat] = (np.concatenate(where_all), pl.concat(vals))
    where_all, vals = [], []
    for k, cls in enumerate(MEDICATION_CLASSES, start=1):
        for s, is_f in (("F", female), ("M", ~female)):
            w = np.flatnonzero((med == k) & is_f)
            if len(w):
                where_all.append(w)
                vals.append(med_pool[cls, s].draw(rng, len(w)))
    if where_all:
        phrase_rows["medication"] = (np.concatenate(where_all), pl.concat(vals))
    code["medication"][med > 0] = positive
    code["hiv"][arv] = positive
    qual_lookup = np.asarray([None, *QUALIFIERS], dtype=object)
    labels = {c: qual_lookup[code[c]] for c in CATEGORIES}
    med_class = np.asarray([None, *MEDICATION_CLASSES], dtype=object)[med]
    # slots
    slot1_parts: list[pl.Series] = []
    slot2_parts: list[pl.Series] = []
    nb1 = (rng.random(n) < P_NEUTRAL_1) & ~blocked
    nb2 = (rng.random(n) < P_NEUTRAL_2) & ~blocked
    for flag, target in ((nb1, slot1_parts), (nb2, slot2_parts)):
        where_all, vals = [], []
        for s in ("F", "M"):
            w = np.flatnonzero(flag & (female if s == "F" else ~female))
            where_all.append(w)
            vals.append(neutral_pool[s].draw(rng, len(w)))
        target.append(_fill(n, np.concatenate(where_all), pl.concat(vals)))
    for cat in CATEGORIES:
        if cat not in phrase_rows:
            continue
        w, v = phrase_rows[cat]
        col = _fill(n, w, v)
        in1 = rng.random(n) < P_SLOT_1
        slot1_parts.append(pl.DataFrame({"c": col, "k": in1}).select(pl.when("k").then("c"))["c"])
        slot2_parts.append(pl.DataFrame({"c": col, "k": ~in1}).select(pl.when("k").then("c"))["c"])
    c1 = _join(rng, slot1_parts)
    c2 = _join(rng, slot2_parts)
    sig = (rng.random(n) < P_SIGNATURE) & ~blocked & c1.is_not_null().to_numpy()
    sig_text = pl.Series(SIGNATURES).gather(rng.integers(0, len(SIGNATURES), n))
    c1 = pl.DataFrame({"c": c1, "s": sig_text, "k": sig}).select(
        pl.when("k").then(pl.concat_str("c", pl.lit("\n"), "s")).otherwise("c").alias("c")
    )["c"]
    return Comments(
        comment_1=c1.rename("COMMENTAIRE_1"),
        comment_2=c2.rename("COMMENTAIRE_2"),
        labels=labels,
        medication_class=med_class,
    )
