"""Folded text for searching: lower case, no accents, one character for one character.

Keeping the length lets a match found in the folded text be quoted from the original, with its
accents (« démarrée ce mardi… »); and ``str.translate`` folds megabytes in milliseconds."""

import re
import unicodedata

# Latin letters with accents (and the non-breaking spaces) -> their plain letter (or a space).
_LATIN_END = 0x250


def _table():
    table = {0xA0: " ", 0x202F: " ", 0x2007: " "}
    for code in range(0xC0, _LATIN_END):
        base = unicodedata.normalize("NFKD", chr(code))[:1].lower()
        if base and base != chr(code) and base.isascii():
            table[code] = base
    return table


_FOLD = _table()
_TO_FOLD = re.compile("[\u00a0-\u024f\u2007\u202f]+")  # only these runs need the table


def fold(text):
    """'Démarrée ce Mardi' -> 'demarree ce mardi', same length as ``text``."""
    if text.isascii():
        return text.lower()
    folded = _TO_FOLD.sub(lambda run: run.group(0).translate(_FOLD), text).lower()
    return folded if len(folded) == len(text) else "".join(c.translate(_FOLD).lower()[:1] or c for c in text)
