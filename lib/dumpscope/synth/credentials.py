"""Results-portal logins and plain-text passwords, with strength and derivation by construction.

Strength classes (documented in data/synthetic/README.md), by length and character classes
(lower, upper, digit, other):

- ``very_weak``: fewer than 8 characters;
- ``weak``: 8 or more characters, at most 2 classes;
- ``medium``: 8 or more characters, 3 or more classes, and not ``strong``;
- ``strong``: 12 or more characters and all 4 classes.

``derived`` passwords contain the patient's first name, surname (lower-case ASCII), birth year
or ``ddmmyyyy`` birth date; the others never contain any of them (nor any 4-digit year).
"""

from __future__ import annotations

import numpy as np

STRENGTHS = ("very_weak", "weak", "medium", "strong")
_COMMON = [
    "123456",
    "azerty",
    "soleil",
    "loulou",
    "doudou",
    "1234",
    "000000",
    "chaton",
    "bisous",
    "qwerty",
    "abc123",
    "coucou",
    "toto",
    "1111",
    "caramel",
]
_WORDS = [
    "bretagne",
    "soleil",
    "printemps",
    "papillon",
    "chocolat",
    "vacances",
    "marmotte",
    "football",
    "cheval",
    "oceane",
    "liberte",
    "musique",
    "jardinage",
    "montagne",
]
_SYMBOLS = "!?#*$%&@+-_."
_SUFFIXES = ["123", "1234", "007", "321", "2", "1"]
_LOWER = "abcdefghijkmnopqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"


def _rand_strong(rng: np.random.Generator, n: int) -> list[str]:
    out = []
    for _ in range(n):
        length = int(rng.integers(12, 17))
        chars = [
            _LOWER[rng.integers(len(_LOWER))],
            _UPPER[rng.integers(len(_UPPER))],
            _DIGITS[rng.integers(len(_DIGITS))],
            _SYMBOLS[rng.integers(len(_SYMBOLS))],
        ]
        pool = _LOWER + _UPPER + _DIGITS + _SYMBOLS
        chars += [pool[rng.integers(len(pool))] for _ in range(length - 4)]
        rng.shuffle(chars)
        out.append("".join(chars))
    return out


def build_passwords(
    rng: np.random.Generator,
    first_ascii: list[str],
    last_ascii: list[str],
    birth_day: list[str],
) -> tuple[list[str], list[str], list[bool]]:
    """Passwords for the given credential holders.

    Parameters
    ----------
    first_ascii, last_ascii : lower-case ASCII first names / surnames;
    birth_day : ``ddmmyyyy`` strings.

    Returns
    -------
    (passwords, strength class of each (``strength_of``), derived-from-personal-data flag: built
    from the name/birth date, or containing the first name or surname (3+ letters), the birth year
    or the ``ddmmyyyy`` birth date)
    """
    pw, strength, derived = [], [], []
    for f, last, bd in zip(first_ascii, last_ascii, birth_day, strict=True):
        r = rng.random()
        year = bd[4:]
        d = True
        if r < 0.12 or len(f) < 3 or len(last) < 3:
            p, d = _COMMON[rng.integers(len(_COMMON))], False
        elif r < 0.2:
            p = f[:7]
        elif r < 0.35:
            p = f + year
        elif r < 0.45:
            p = bd
        elif r < 0.55:
            p = last + bd[:2]
        elif r < 0.65:
            p, d = (
                _WORDS[rng.integers(len(_WORDS))] + _SUFFIXES[rng.integers(len(_SUFFIXES))],
                False,
            )
        elif r < 0.75:
            p = f.capitalize() + year + "!"
        elif r < 0.87:
            w = _WORDS[rng.integers(len(_WORDS))].capitalize()
            p, d = w + _SUFFIXES[rng.integers(len(_SUFFIXES))] + "*", False
        else:
            p, d = _rand_strong(rng, 1)[0], False
        low = p.lower()
        tokens = [t for t in (f, last) if len(t) >= 3] + [year, bd]
        d = d or any(t in low for t in tokens)
        pw.append(p)
        strength.append(strength_of(p))
        derived.append(d)
    return pw, strength, derived


def strength_of(p: str) -> str:
    """The strength class of a password under the documented rules (used to self-check)."""
    classes = sum(
        [
            any(c.islower() for c in p),
            any(c.isupper() for c in p),
            any(c.isdigit() for c in p),
            any(not c.isalnum() for c in p),
        ]
    )
    if len(p) < 8:
        return "very_weak"
    if len(p) >= 12 and classes == 4:
        return "strong"
    if classes >= 3:
        return "medium"
    return "weak"


def logins(
    rng: np.random.Generator,
    first_ascii: list[str],
    last_ascii: list[str],
    emails: list[str | None],
) -> list[str]:
    """Portal logins: the e-mail, ``prenom.nom``, or ``P`` + 7 digits."""
    out = []
    for f, last, e in zip(first_ascii, last_ascii, emails, strict=True):
        r = rng.random()
        if e is not None and r < 0.4:
            out.append(e)
        elif r < 0.75:
            out.append(f"{f}.{last}")
        else:
            out.append(f"P{int(rng.integers(10**6, 10**7))}")
    return out
