"""From indicators to a stated conclusion, with its reasoning and its limits."""

from __future__ import annotations

#: Weight of an inconsistent indicator in the conclusion.
WEIGHTS = {"strong": 2, "medium": 1, "weak": 0.5}

#: Score from which a hypothesis is retained.
FABRICATION_THRESHOLD = 4
RECOMPILATION_THRESHOLD = 2


def conclude(indicators: list[dict]) -> dict:
    """State the conclusion the indicators support.

    Parameters
    ----------
    indicators
        The dicts returned by :mod:`dumpscope.analyses.authenticity.indicators`.

    Returns
    -------
    dict
        ``verdict`` (``consistent_with_genuine`` / ``likely_fabricated`` / ``likely_recompiled``
        / ``inconclusive``), ``confidence`` (``high`` / ``medium`` / ``low``),
        ``scores`` ({fabrication, recompilation}), ``against`` (codes of the inconsistent
        indicators), ``supporting`` (codes of the consistent ones), ``assessed`` and
        ``not_assessable`` counts.

    The rule, in plain words: each inconsistent indicator adds its weight (strong 2, medium 1,
    weak 0.5) to the hypothesis it points to. Fabrication is retained from a score of 4 (two
    strong signs, e.g. NIRs that disagree with sex and birth date), re-compilation from 2 (one
    strong sign, e.g. the same NIR in rows with different content, or a repeated header line).
    When both pass, the larger score wins. Otherwise the dump is consistent with a genuine
    extract, with a confidence that grows with the number of indicators that could be assessed.
    """
    scores = {"fabrication": 0.0, "recompilation": 0.0}
    against: list[str] = []
    supporting: list[str] = []
    not_assessable = 0
    for ind in indicators:
        if ind["status"] == "inconsistent":
            scores[ind["points_to"]] += WEIGHTS[ind["strength"]]
            against.append(ind["code"])
        elif ind["status"] == "consistent":
            supporting.append(ind["code"])
        else:
            not_assessable += 1
    assessed = len(against) + len(supporting)
    fab = scores["fabrication"] >= FABRICATION_THRESHOLD
    rec = scores["recompilation"] >= RECOMPILATION_THRESHOLD
    if fab and (not rec or scores["fabrication"] >= 2 * scores["recompilation"]):
        verdict = "likely_fabricated"
        confidence = "high" if scores["fabrication"] >= 6 else "medium"
    elif rec:
        verdict = "likely_recompiled"
        confidence = "high" if scores["recompilation"] >= 4 else "medium"
    elif assessed < 5:
        verdict = "inconclusive"
        confidence = "low"
    else:
        verdict = "consistent_with_genuine"
        total = scores["fabrication"] + scores["recompilation"]
        confidence = "high" if (assessed >= 9 and total <= 1) else "medium"
        if total >= 2:
            confidence = "low"
    return {
        "verdict": verdict,
        "confidence": confidence,
        "scores": scores,
        "against": against,
        "supporting": supporting,
        "assessed": assessed,
        "not_assessable": not_assessable,
    }
