"""Typo repair for lexicon and cue words, before the prefilter.

Lab comments are typed in a hurry: "enciente", "dibaete", "deamndé", "preivscan". A word is
repaired when it is **not** itself a known word and is one adjacent transposition (words of 5+
letters) or one deleted letter (words of 7+ letters) away from exactly one known word. Known words
are the literal words of every lexicon term and medication name (4+ letters) plus the inflected
cue words below. Variants are precomputed once (a dict), so repair is one lookup per unique word;
only sentences holding a repaired word are rewritten (in Python, on unique sentences).
"""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl

from dumpscope.analyses.sensitive import lexicon as lx

#: Inflected forms and cue words (normalized) that the regex stems do not spell out.
EXTRA_WORDS = (
    "demande demandee demandees demandes recherche suspicion depistage serologie serologies "
    "negatif negative negatifs negatives positif positive positifs positives familial familiale "
    "familiaux antecedent antecedents enceinte grossesse grossesses diabete diabetique "
    "diabetiques seropositif seropositive seronegatif seronegative hepatite hepatites "
    "insuffisance insuffisant insuffisante renale cardiaque respiratoire depression depressif "
    "depressive schizophrene schizophrenie bipolaire bipolarite handicap handicape handicapee "
    "malvoyant malvoyante malentendant malentendante trisomie trisomique drepanocytose "
    "drepanocytaire hemophilie hemophile mucoviscidose chimiotherapie chimio traitement "
    "controle confirmer confirmee absence infertilite insemination stimulation dialyse dialysee "
    "hemodialyse asthme asthmatique hypertendu hypertendue hypertension epilepsie epileptique "
    "deficient deficiente intellectuel intellectuelle metastase metastases tumeur tumeurs "
    "carcinome lymphome leucemie melanome caryotype spermogramme ovarienne retrouve retrouvee "
    "detecte detectee exclu exclue suspecte eventuel eventuelle possible prevoir realiser "
    "verifier eliminer arterielle coeliaque hemochromatose thalassemie oncologie cancer "
    "cancers insuline protocole prelevement suivi sourde aveugle fauteuil roulant amputee "
    "insulinodependant amenorrhee semaines gestationnel parcours mutation genetique controler "
    "frere soeur fille oncle tante cousin cousine maman papa parents familiale "
    "greffe greffee greffes greffer myelome myelomes anxieux anxieuse"
).split()

#: Short words and acronyms repaired by one transposition only ("mrèe", "VBH", "BCPO").
SHORT_WORDS = "mere pere fils vhb vhc bpco icsi sida".split()

_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Literal words of the lexicon (4+ letters) and :data:`EXTRA_WORDS`."""
    frags = [
        f for group in (lx.TERMS, lx.TEST_TERMS, lx.MEDICATIONS) for v in group.values() for f in v
    ]
    words: set[str] = set()
    for f in frags:
        for w, optional in re.findall(r"(?<![\\])([a-z]{4,})(\?)?", f):
            words.add(w)
            if optional and len(w) > 4:
                words.add(w[:-1])
    return frozenset(words | set(EXTRA_WORDS) | set(SHORT_WORDS))


@lru_cache(maxsize=1)
def corrections() -> dict[str, str]:
    """``{misspelling: word}`` for one transposition (5+ letters) or deletion (7+ letters)."""
    known = known_words()
    found: dict[str, set[str]] = {}
    for w in known:
        variants: set[str] = set()
        if len(w) >= 5:
            variants |= {w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(len(w) - 1)}
        if len(w) >= 7:
            variants |= {w[:i] + w[i + 1 :] for i in range(len(w))}
        if w in SHORT_WORDS:
            variants |= {w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(len(w) - 1)}
        for v in variants - known - {w}:
            found.setdefault(v, set()).add(w)
    return {v: next(iter(ws)) for v, ws in found.items() if len(ws) == 1}


@lru_cache(maxsize=1)
def stems() -> frozenset[str]:
    """Literal stems followed by ``\\w*`` in the lexicon ("tetraplegi", "schizophren")."""
    frags = [
        f for group in (lx.TERMS, lx.TEST_TERMS, lx.MEDICATIONS) for v in group.values() for f in v
    ]
    return frozenset(m for f in frags for m in re.findall(r"([a-z]{5,})\\w\*", f))


def _stem_fix(word: str, stem_set: frozenset[str]) -> str | None:
    """One transposition that makes ``word`` start with a lexicon stem, if exactly one does."""
    if any(word.startswith(st) for st in stem_set if len(st) <= len(word)):
        return None
    hits = set()
    for i in range(len(word) - 1):
        v = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if any(v[:k] in stem_set for k in range(5, len(v) + 1)):
            hits.add(v)
    return hits.pop() if len(hits) == 1 else None


def repair(sentences: pl.Series) -> pl.DataFrame:
    """Repair misspelt lexicon words in unique normalized sentences.

    Parameters
    ----------
    sentences : pl.Series
        Unique normalized sentences.

    Returns
    -------
    pl.DataFrame
        ``sentence`` (as given), ``corrected`` (same text with misspellings repaired), one row per
        input sentence.
    """
    fix = dict(corrections())
    known = known_words()
    stem_set = stems()
    frame = pl.DataFrame({"sentence": sentences.cast(pl.Utf8)})
    unique_words = (
        frame.lazy()
        .select(pl.col("sentence").str.extract_all(r"[a-z]+").explode().unique().alias("w"))
        .filter(pl.col("w").str.len_chars() >= 6)
        .collect()
        .get_column("w")
    )
    words = [w for w in unique_words.to_list() if w in fix]
    for w in unique_words.to_list():
        if w not in fix and w not in known:
            repaired = _stem_fix(w, stem_set)
            if repaired is not None:
                fix[w] = repaired
                words.append(w)
    short = (
        frame.lazy()
        .select(pl.col("sentence").str.extract_all(r"[a-z]+").explode().unique().alias("w"))
        .filter(pl.col("w").str.len_chars() < 6)
        .collect()
        .get_column("w")
    )
    words += [w for w in short.to_list() if w in fix]
    if not words:
        return frame.with_columns(corrected=pl.col("sentence"))
    hit = pl.col("sentence").str.contains(r"\b(?:" + "|".join(sorted(words)) + r")\b")
    touched = frame.filter(hit)
    fixed = [_WORD.sub(lambda m: fix.get(m.group(0), m.group(0)), s) for s in touched["sentence"]]
    mapping = touched.with_columns(corrected=pl.Series(fixed, dtype=pl.Utf8))
    return frame.join(mapping, on="sentence", how="left").with_columns(
        pl.col("corrected").fill_null(pl.col("sentence"))
    )


def repair_text(text: str) -> str:
    """Repair one normalized text (the scalar twin of :func:`repair`)."""
    return repair(pl.Series([text])).get_column("corrected").item()
