"""Qualifier engine: find sensitive mentions in one short French text and qualify each one.

The text is normalized (lower case, accents stripped), misspelt lexicon words are repaired
(:mod:`.typos`), a dash closing a clause is glued to its word ("VIH - | …" → "vih-"), then the
text is cut into **sentences** (``|``, ``;``, new line, ``!``, a full stop followed by a space,
`` - `` and `` / ``, which separate stock phrases in lab comments), each sentence into
**clauses** (a comma, or the words *car, mais, donc, pour, parce que*). Mentions separated only
by list words (``et`` ``ou`` ``ni`` ``/`` ``+``) form a **list** that shares its cues ("pas de
diabète ni d'HTA" negates both); a comma continues a list only between infections or tests of
one kind ("Sérologies VIH, VHC demandées") or after a header ending with a colon ("ATCD
familiaux : diabète, cancer du sein"), elsewhere it separates statements ("Hépatite B active,
diabète chez la mère"). The family scope runs back to the last comma, across earlier mentions,
but stops at a word naming the patient ("mère diabétique et patiente enceinte").

Rules for one mention (documented order; cue lists in :mod:`.lexicon`):

1. a veto context drops the mention ("séronégative toxoplasmose", "tumeur bénigne",
   "vaccin hépatite B");
2. pseudo-cues are blanked first ("non à jeun", "diabète non insulinodépendant",
   "grossesse non évolutive", "sans doute");
3. a viral-load / CD4 context before an HIV or hepatitis term ⇒ ``positive`` (infection known);
4. a family cue (before: "mère", "ATCD familiaux"…, after: "chez la mère", "(père)") ⇒
   ``family``, or ``negated`` if also negated ("pas d'ATCD familial de cancer");
5. a positive result after the term ("+", "positif", "connu", "confirmé") ⇒ ``positive``;
6. a negation (before: "pas de", "absence de", "sans", "non", "aucun", "ni"…, within four words;
   after: "nég", "négatif", "-", "non", "exclu", "absent", "non détecté", "immunisé") ⇒
   ``negated``; for a medication also "arrêt de …";
7. a request or hypothesis cue in the clause ("demande", "dépistage", "recherche", "sérologie",
   "test", "bilan", "suspicion", "à confirmer", "?", "si"…; for HIV and hepatitis also
   "contrôle", "à 3 mois") ⇒ ``requested``;
8. a term that names a test (β-hCG, caryotype, spermogramme, HGPO) ⇒ ``requested``, except
   β-hCG followed by a value: below 5 ⇒ ``negated``, otherwise ``positive``;
9. otherwise the edsnlp 0.23 rule-based qualifiers (``eds.negation``, ``eds.hypothesis``,
   ``eds.family``) run on the clause and decide (negated / requested / family);
10. otherwise ``positive``.

Why rules before edsnlp: measured on short lab phrasings, edsnlp 0.23 leaves "VIH neg", "VIH+",
"sérologie VIH demandée", "dépistage VIH", "? grossesse" and "grossesse à confirmer"
unqualified and negates "grossesse non évolutive" and "diabète non insulinodépendant". Rule 9 is
**off by default** (``use_edsnlp=False``): on the generator's 20,000-row dump the edsnlp fallback
changed 18 row decisions, all wrong ("G2P1 terme prévu en juin" read as a hypothesis), on the
hand-labelled corpora 3, all wrong ("enfant trisomique" read as family), and loading the
pipeline costs ~12 s against a 5 s budget for the whole detector on 491,840 rows.

In an exam list (``exam=True``) every non-medication mention is a test ⇒ ``requested``, except
viral-load tests (⇒ ``positive``). An affirmed antiretroviral ⇒ ``hiv`` positive, a family one
⇒ ``hiv`` family (a negated, stopped or requested one says nothing sure about the infection);
PrEP ("sous PrEP") is an antiretroviral that implies no infection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dumpscope.analyses.sensitive import lexicon as lx

_RANK = {q: len(lx.QUALIFIERS) - i for i, q in enumerate(lx.QUALIFIERS)}  # positive=4 .. negated=1

#: Sentence breaks: also " - " and " / ", which separate stock phrases in lab comments.
SENTENCE_BREAKS = r"[|;\n!]|\.(?:\s|$)|\s[-/]+\s"
_SENTENCE_END = re.compile(SENTENCE_BREAKS)
_CLAUSE_BREAK = re.compile(r",|\b(?:car|mais|donc|pour|parce que|puisque|alors que)\b")
_LIST_GAP = re.compile(
    r"^\s*(?:,|\bet\b|\bou\b|\bni\b|/|\+|&)\s*(?:(?:de|d'|du|des|la|le|l'|d)\s*)?$|^\s*$"
)
_INFECTIONS = frozenset({"hiv", "hepatitis"})
_CLOSING_DASH = re.compile(lx.CLOSING_DASH)
_PATHOLOGY_K = re.compile(lx.PATHOLOGY_K)
_ELISION_SLIP = re.compile(lx.ELISION_SLIP)
_PATIENT = re.compile(r"\b(?:patiente?s?|pte?|elle|lui|il|enfant|bebe)\b")
_HCG_VALUE = re.compile(r"^[\s:=]*(<|inf\w*\s*a)?\s*(\d+(?:[.,]\d+)?)")


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class Mention:
    """One term found in a sentence (offsets within the normalized sentence)."""

    category: str
    start: int
    end: int
    is_test: bool = False
    med_class: str | None = None
    prep: bool = False


class QualifierEngine:
    """Find and qualify sensitive mentions in short French texts.

    Parameters
    ----------
    use_edsnlp : bool
        Run the edsnlp qualifiers on clauses the rules leave open (rule 9). Off by default (see
        the module docstring).
    """

    def __init__(self, *, use_edsnlp: bool = False) -> None:
        self.use_edsnlp = use_edsnlp
        self._terms = {cat: _c(lx.union(frags)) for cat, frags in lx.TERMS.items() if frags}
        self._tests = {cat: _c(lx.union(frags)) for cat, frags in lx.TEST_TERMS.items()}
        self._meds = {cls: _c(lx.union(lx.MEDICATIONS[cls])) for cls in lx.MEDICATION_CLASSES}
        self._prep = _c(lx.union(lx.PREP_TERMS))
        self._neg_pre = _c(lx.NEGATION_PRE)
        self._neg_post = _c(lx.NEGATION_POST)
        self._pos_post = _c(lx.POSITIVE_POST)
        self._req = _c(lx.REQUEST)
        self._fam_pre = _c(lx.FAMILY_PRE)
        self._fam_post = _c(lx.FAMILY_POST)
        self._stop = _c(lx.MEDICATION_STOP)
        self._req_infection = _c(lx.REQUEST_INFECTION)
        self._viral = _c(lx.VIRAL_LOAD)
        self._pseudo = [_c(p) for p in lx.PSEUDO]
        self._patient = _c(lx.PATIENT_WORDS)
        self._veto = {cat: _c(p) for cat, p in lx.VETO.items()}
        self._veto_pre = {cat: _c(p) for cat, p in lx.VETO_PRE.items()}
        self._cues = [self._neg_post, self._pos_post, self._req, self._fam_pre, self._stop]
        self._nlp = None
        self._eds_cache: dict[tuple[str, int, int], str | None] = {}

    # ---------------------------------------------------------------- mentions
    def mentions(self, sentence: str) -> list[Mention]:
        """All term matches of a normalized sentence, sorted by position."""
        out: list[Mention] = []
        for cat, rx in self._terms.items():
            out += [Mention(cat, m.start(), m.end()) for m in rx.finditer(sentence)]
        for cat, rx in self._tests.items():
            out += [Mention(cat, m.start(), m.end(), is_test=True) for m in rx.finditer(sentence)]
        for cls, rx in self._meds.items():
            out += [
                Mention("medication", m.start(), m.end(), med_class=cls)
                for m in rx.finditer(sentence)
            ]
        out += [
            Mention("medication", m.start(), m.end(), med_class="antiretroviral", prep=True)
            for m in self._prep.finditer(sentence)
        ]
        out.sort(key=lambda m: (m.start, -m.end))
        # a term inside a longer term of the same category is the same mention ("test de
        # grossesse" is a test, not a pregnancy)
        return [
            m
            for m in out
            if not any(
                n is not m
                and n.category == m.category
                and n.start <= m.start
                and n.end >= m.end
                and n.end - n.start > m.end - m.start
                for n in out
            )
        ]

    # ---------------------------------------------------------------- windows
    def _blank_pseudo(self, text: str) -> str:
        for rx in self._pseudo:
            text = rx.sub(lambda m: " " * len(m.group(0)), text)
        return text

    def _has_cue(self, gap: str) -> bool:
        return any(rx.search(gap) for rx in self._cues) or bool(self._neg_pre.search(gap))

    def _groups(self, sentence: str, mentions: list[Mention]) -> list[list[Mention]]:
        """Cluster mentions into lists (overlapping mentions, or separated by list words).

        A comma continues a list only between infections / tests ("VIH, VHC") or after a
        header ending with a colon ("ATCD familiaux : diabète, cancer"); elsewhere a comma
        separates statements ("Hépatite B active, diabète chez la mère").
        """
        groups: list[list[Mention]] = []
        end = -1
        for m in mentions:
            if groups:
                gap = sentence[end : m.start] if m.start > end else ""
                listed = bool(_LIST_GAP.match(gap)) and not self._has_cue(gap)
                if listed and "," in gap:
                    prev = groups[-1][0]
                    both_tests = (prev.category in _INFECTIONS and m.category in _INFECTIONS) or (
                        prev.is_test and m.is_test and prev.category == m.category
                    )
                    listed = both_tests or ":" in sentence[: prev.start]
                if m.start < end or listed:
                    groups[-1].append(m)
                    end = max(end, m.end)
                    continue
            groups.append([m])
            end = m.end
        return groups

    # ---------------------------------------------------------------- qualify
    def qualify_sentence(self, raw: str, *, exam: bool = False) -> list[tuple[Mention, str]]:
        """Qualify every mention of one normalized sentence.

        Returns
        -------
        list of (Mention, qualifier)
            Vetoed mentions are left out; an antiretroviral adds an ``hiv`` mention.
        """
        found = self.mentions(raw)
        if not found:
            return []
        sentence = self._blank_pseudo(raw)
        groups = self._groups(sentence, found)
        breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
        prep = any(m.prep for m in found)
        out: list[tuple[Mention, str]] = []
        for gi, group in enumerate(groups):
            g_start = min(m.start for m in group)
            g_end = max(m.end for m in group)
            prev_end = max(m.end for m in groups[gi - 1]) if gi else 0
            next_start = min(m.start for m in groups[gi + 1]) if gi + 1 < len(groups) else None
            lo = max([prev_end] + [b + 1 for b in breaks if b < g_start])
            after = [b for b in breaks if b >= g_end]
            hi = min([len(sentence)] + after[:1] + ([next_start] if next_start else []))
            pre, post = sentence[lo:g_start], sentence[g_end:hi]
            # family scope: back to the last comma, across car/mais/pour and earlier mentions,
            # but not across a word naming the patient ("mère diabétique et patiente enceinte")
            fam_lo = max([0] + [i + 1 for i, ch in enumerate(sentence[:g_start]) if ch == ","])
            fam_lo = max([fam_lo] + [p.end() for p in _PATIENT.finditer(sentence, 0, g_start)])
            fam_pre = sentence[fam_lo:g_start]
            for m in group:
                q = self._qualify_one(m, pre, fam_pre, post, sentence, lo, hi, exam)
                if q is None:
                    continue
                out.append((m, q))
                if m.med_class == "antiretroviral" and not prep:
                    if q == "positive":
                        out.append((Mention("hiv", m.start, m.end), "positive"))
                    elif q == "family":
                        out.append((Mention("hiv", m.start, m.end), "family"))
        return out

    def _qualify_one(
        self,
        m: Mention,
        pre: str,
        fam_pre: str,
        post: str,
        sentence: str,
        lo: int,
        hi: int,
        exam: bool,
    ) -> str | None:
        own_post = sentence[m.end : hi]
        veto = self._veto.get(m.category)
        if veto is not None and veto.search(own_post):
            if m.category != "hiv" or sentence.startswith("sero", m.start):
                return None
        if m.category in self._veto_pre and self._veto_pre[m.category].search(fam_pre):
            return None
        fam = bool(self._fam_pre.search(fam_pre) or self._fam_post.search(post))
        if m.category in ("hiv", "hepatitis") and self._viral.search(sentence[lo : m.start]):
            return "family" if fam else "positive"
        if exam and m.category != "medication":
            return "requested"
        neg = bool(self._neg_pre.search(pre) or self._neg_post.search(post))
        if m.category in ("medication", "fertility") and (
            self._stop.search(pre) or self._stop.search(post)
        ):
            neg = True
        pos = bool(self._pos_post.search(post))
        if fam:
            return "negated" if neg and not pos else "family"
        if pos:
            return "positive"
        if neg:
            return "negated"
        if self._req.search(pre) or self._req.search(post):
            return "requested"
        if m.category in ("hiv", "hepatitis") and (
            self._req_infection.search(pre) or self._req_infection.search(post)
        ):
            return "requested"
        if m.is_test:
            if m.category == "pregnancy":
                val = _HCG_VALUE.match(own_post)
                if val:
                    number = float(val.group(2).replace(",", "."))
                    return "negated" if val.group(1) or number < 5 else "positive"
            return "requested"
        if self.use_edsnlp:
            q = self._edsnlp(sentence[lo:hi], m.start - lo, m.end - lo)
            if q == "family" and self._patient.search(sentence[lo:hi]):
                q = None  # "enfant trisomique": the child is the patient
            if q is not None:
                return q
        return "positive"

    # ---------------------------------------------------------------- edsnlp fallback
    def _pipeline(self):
        if self._nlp is None:
            import edsnlp
            import edsnlp.pipes as eds

            nlp = edsnlp.blank("eds")
            nlp.add_pipe(eds.normalizer())
            nlp.add_pipe(eds.sentences())
            nlp.add_pipe(eds.negation())
            nlp.add_pipe(eds.hypothesis())
            nlp.add_pipe(eds.family(use_sections=False))
            self._nlp = nlp
            self._pipes = dict(nlp.pipeline)
        return self._nlp

    def _edsnlp(self, clause: str, start: int, end: int) -> str | None:
        key = (clause, start, end)
        if key in self._eds_cache:
            return self._eds_cache[key]
        nlp = self._pipeline()
        p = self._pipes
        doc = p["sentences"](p["normalizer"](nlp.make_doc(clause)))
        span = doc.char_span(start, end, label="x", alignment_mode="expand")
        result = None
        if span is not None:
            doc.ents = [span]
            for name in ("negation", "hypothesis", "family"):
                doc = p[name](doc)
            ent = doc.ents[0]
            if ent._.family:
                result = "family"
            elif ent._.negation:
                result = "negated"
            elif ent._.hypothesis:
                result = "requested"
        self._eds_cache[key] = result
        return result

    # ---------------------------------------------------------------- text level
    def qualify_text(
        self, text: str, *, exam: bool = False, repair_typos: bool = True
    ) -> dict[str, str]:
        """Row-level qualifiers of one text (any length).

        ``repair_typos`` repairs misspelt lexicon words first (:mod:`.typos`); ``detect`` repairs
        its unique sentences in bulk and turns it off.

        Returns
        -------
        dict
            ``{category: qualifier}`` for the mentioned categories (precedence
            positive > family > requested > negated), plus ``medication_class`` when a
            medication is mentioned (class of the winning qualifier, first in class order).
        """
        norm = _CLOSING_DASH.sub(r"-\1", lx.normalize_text(text))
        norm = _ELISION_SLIP.sub(r"\1'\2\3", _PATHOLOGY_K.sub(r"\1cancer", norm))
        if repair_typos:
            from dumpscope.analyses.sensitive.typos import repair_text

            norm = repair_text(norm)
        best: dict[str, str] = {}
        classes: dict[str, set[str]] = {}
        for sentence in split_sentences(norm):
            for m, q in self.qualify_sentence(sentence, exam=exam):
                if m.category not in best or _RANK[q] > _RANK[best[m.category]]:
                    best[m.category] = q
                if m.med_class:
                    classes.setdefault(q, set()).add(m.med_class)
        if "medication" in best:
            chosen = classes.get(best["medication"], set())
            best["medication_class"] = next(c for c in lx.MEDICATION_CLASSES if c in chosen)
        return best


def split_sentences(text: str) -> list[str]:
    """Cut a text at ``|``, ``;``, new lines, ``!``, full stops followed by a space, `` - ``
    and `` / ``."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


@lru_cache(maxsize=2)
def default_engine(use_edsnlp: bool = False) -> QualifierEngine:
    """A shared engine (compiled patterns and the edsnlp pipeline are built once)."""
    return QualifierEngine(use_edsnlp=use_edsnlp)


def rank(qualifier: str | None) -> int:
    """Precedence rank of a qualifier (positive 4 … negated 1, none 0)."""
    return _RANK.get(qualifier, 0) if qualifier else 0
