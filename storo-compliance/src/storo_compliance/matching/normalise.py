"""Name normalisation: one canonical token list per name.

Case, accents and scripts are folded with anyascii (a maintained, dependency-free
Unicode-to-ASCII transliterator, ISC licence: Cyrillic, Arabic, Greek, Hangul and
Han all come out as Latin letters); punctuation is dropped; honorifics and, for
organisations, legal-form suffixes are removed; "LAST, First" is put back into
reading order. Word order is not fixed here: the scorer compares tokens as sets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "sheikh",
        "shaikh",
        "sheik",
        "shaykh",
        "haji",
        "hajji",
        "hadji",
        "mullah",
        "mulla",
        "maulana",
        "maulvi",
        "mawlawi",
        "imam",
        "ayatollah",
        "hojatoleslam",
        "general",
        "gen",
        "brigadier",
        "colonel",
        "col",
        "major",
        "maj",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "sgt",
        "sergeant",
        "commander",
        "admiral",
        "marshal",
        "president",
        "minister",
        "senator",
        "rev",
        "reverend",
        "father",
        "bishop",
        "excellency",
        "his",
        "her",
        "honourable",
        "hon",
    ]
)
LEGAL_FORMS = frozenset(
    [
        "ltd",
        "limited",
        "llc",
        "inc",
        "incorporated",
        "co",
        "company",
        "corp",
        "corporation",
        "plc",
        "sa",
        "sarl",
        "sas",
        "ag",
        "gmbh",
        "ooo",
        "zao",
        "oao",
        "pao",
        "pjsc",
        "jsc",
        "cjsc",
        "ojsc",
        "pty",
        "pvt",
        "private",
        "bv",
        "nv",
        "srl",
        "spa",
        "fzco",
        "fze",
        "fzc",
        "llp",
        "lp",
        "kg",
        "se",
        "ab",
        "oy",
        "as",
        "asa",
        "bhd",
        "sdn",
        "tbk",
    ]
)
# Connecting particles: they stay in the name but carry little weight, since
# "al", "bin" or "de" alone say nothing about who someone is.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "ur",
        "ad",
        "as",
        "at",
        "ash",
        "an",
        "ar",
        "az",
        "bin",
        "ben",
        "ibn",
        "bint",
        "binti",
        "abu",
        "um",
        "umm",
        "de",
        "da",
        "das",
        "do",
        "dos",
        "del",
        "della",
        "der",
        "den",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "y",
        "e",
        "of",
        "the",
        "and",
    ]
)

_CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af]"
)
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4\u02bf\u02be]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class NormalName:
    tokens: tuple[str, ...]  # every token, in reading order
    core: tuple[str, ...]  # tokens without particles (never empty if tokens)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def sorted_text(self) -> str:
        return " ".join(sorted(self.tokens))

    @property
    def joined(self) -> str:
        return "".join(self.tokens)


def _transliterate(text: str) -> str:
    # Han and Hangul carry one syllable per character with no spaces; spacing
    # them keeps syllables apart so they can be compared one by one.
    if _CJK.search(text):
        text = "".join(f" {ch} " if _CJK.match(ch) else ch for ch in text)
    text = unicodedata.normalize("NFKC", text)
    return anyascii(text)


@lru_cache(maxsize=65536)
def normalise(name: str, *, organisation: bool = False) -> NormalName:
    text = name.strip()
    if not organisation and text.count(",") == 1:
        last, first = text.split(",")
        if first.strip() and last.strip():
            text = f"{first} {last}"
    text = _transliterate(text).lower()
    text = _APOSTROPHES.sub("", text)
    tokens = [t for t in _NON_ALNUM.split(text) if t]
    tokens = [t for t in tokens if t not in HONORIFICS] or tokens
    if organisation:
        tokens = [t for t in tokens if t not in LEGAL_FORMS] or tokens
    core = tuple(t for t in tokens if t not in PARTICLES) or tuple(tokens)
    return NormalName(tuple(tokens), core)


_FOLDS = (("ph", "f"), ("ck", "k"), ("kh", "k"), ("gh", "g"), ("sch", "s"))
_CLASS = str.maketrans("bpckqgzsxdtfvjlmnr", "bbkkkksssddffylmnr")


@lru_cache(maxsize=262144)
def skeleton(token: str) -> str:
    """A phonetic blocking key: fold spelling variants that transliteration
    produces (Mohammed/Muhammad/Mohamed, Yusuf/Youssef, Sergeyevich/Sergeevich)
    onto one consonant skeleton. A leading vowel is kept as "a" so Ahmed and
    Mohammed stay apart."""
    t = token
    for old, new in _FOLDS:
        t = t.replace(old, new)
    head = "a" if t[:1] in "aeiou" else ""
    body = t.translate(_CLASS)
    out: list[str] = []
    for ch in body:
        if ch in "aeiouhwy" or not ch.isalpha():
            continue
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return head + "".join(out) if (head or out) else t
