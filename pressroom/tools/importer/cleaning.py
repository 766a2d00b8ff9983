"""Cruft removal: keeps the paragraphs of the article, drops what the news
site wrapped around it (menus, breadcrumbs, share bars, comments, teasers)."""

import collections
import re

from pressroom.tools.importer.folding import fold as _fold

# Whole lines that are never part of an article (compared folded: no case, no accents).
CRUFT_LINES = [
    re.compile(pattern)
    for pattern in (
        r"^flash infos?$",
        r"^(la )?redaction\.?$",
        r"^actualites\s*::.*\(\.\.\.\)$",  # lefaso.net: "Actualités :: the headline cut (...)"
        r"^accueil\s*[/>»›|]",  # breadcrumbs: "Accueil / Nation / …"
        r"^(partager|partagez|share( this)?)\b.*",  # share bars: "PARTAGER : Facebook Twitter"
        r"^(facebook|twitter|whatsapp|linkedin|telegram|e-?mail|imprimer|print|j'aime|like)$",
        r"^error: content is protected !*$",
        r"^essayez a nouveau$",
        r"^nombre de visites ?:",
        r"^votre adresse (de messagerie|e-?mail) ne sera pas publiee",
        r"^les champs obligatoires sont indiques",
        r"^(tags?|mots-cles|etiquettes|categories?) ?:",
        r"^(lire la suite|en savoir plus|voir aussi)\.*$",
        r"^(publicite|advertisement)$",
    )
]
# A teaser: the marker line, and the headline that follows it when the marker stands alone.
TEASER = re.compile(r"^(a lire aussi|lire aussi|a lire egalement)\s*:?\s*(?P<headline>.*)$")
# From these lines on, the rest of the page is comments or other articles.
TAIL_MARKERS = [
    re.compile(pattern)
    for pattern in (
        r"^commentaires via facebook",
        r"^laisser un commentaire",
        r"^laissez un commentaire",
        r"^comments are closed",
        r"^les commentaires sont fermes",
        r"^\d+ (commentaires?|reponses?)$",
        r"^(articles similaires|sur le meme sujet|vous aimerez aussi|articles lies|related posts)",
    )
]

# A signature: "Y. Doumbia", "Aminata Bocar SOW, CCOM- RP/CMSS.", "Par Y. Doumbia".
_NAME_WORD = r"(?:[A-ZÀ-Ý]\.|[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?|[A-ZÀ-Ý]{2,}(?:-[A-ZÀ-Ý]{2,})?)"
_PARTICLE = r"(?:de|da|dit|ben|bin|ould|el|ba)"
SIGNATURE = re.compile(
    rf"^(?:[Pp]ar\s+)?(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|{_PARTICLE})){{1,5}})"
    rf"\s*(?:,\s*(?P<service>[A-Z][A-Za-z0-9 ./’'-]*?))?"
    r"(?:\s*\((?P<place>[^()]{2,40})\))?\s*\.?$"  # "Issa DEMBELE (Mopti)", "Souleymane Yahaya(onep)"
)
# Signatures that name no one: the newsroom, a share bar.
NOT_A_PERSON = re.compile(r"^(?:la\s+)?(?:redaction|partager|source)\b")
CAPTION_MAX_LENGTH = 200
HEAD_LENGTH = 200
BYLINE_MAX_INDEX = 3


def normalize_line(line):
    """One line of text with single spaces and no non-breaking spaces."""
    return " ".join(line.replace("\xa0", " ").replace("\u202f", " ").split())


def _head(line):
    """The folded start of a line: every cruft pattern is anchored at the start and short."""
    return _fold(line[:HEAD_LENGTH])


def is_cruft(line):
    folded = _head(line)
    return any(pattern.search(folded) for pattern in CRUFT_LINES)


def is_tail_marker(line):
    folded = _head(line)
    return any(pattern.search(folded) for pattern in TAIL_MARKERS)


def signature_parts(line):
    """(name, service) when the line is a signature, else None."""
    spaced = re.sub(r"\b([A-Z])\.(?=[A-ZÀ-Ý][a-zà-ÿ])", r"\1. ", line)
    match = SIGNATURE.match(spaced)
    if not match or NOT_A_PERSON.match(_fold(match["name"])):
        return None
    return match["name"], (match["service"] or "").strip()


def drop_teasers(lines):
    kept, skip_next = [], False
    for line in lines:
        if skip_next:
            skip_next = False
            continue
        teaser = TEASER.match(_head(line))
        if teaser:
            skip_next = not teaser["headline"]
            continue
        kept.append(line)
    return kept


def cut_tail(lines):
    """Lines up to the first comment-thread or related-articles marker."""
    for index, line in enumerate(lines):
        if is_tail_marker(line):
            return lines[:index]
    return lines


def split_signature(lines):
    """(article lines, signature line or None): the last signature ends the article and what
    follows it (comments, unrelated headlines) is dropped; but never a paragraph of the article,
    so a signature followed by a long paragraph is not one."""
    for index in range(len(lines) - 1, 0, -1):
        if len(lines[index]) > CAPTION_MAX_LENGTH:
            break
        if signature_parts(lines[index]):
            return lines[:index], lines[index]
    return lines, None


def split_byline(lines):
    """(lines, byline or None): a "Par Y. Doumbia" line near the top."""
    for index, line in enumerate(lines[:BYLINE_MAX_INDEX]):
        if re.match(r"^[Pp]ar\s", line) and signature_parts(line):
            return lines[:index] + lines[index + 1 :], line
    return lines, None


def drop_repeated_captions(lines):
    """A short line printed more than once is a photo caption; a repeated paragraph is kept once,
    and so is the first line when the page repeats its headline."""
    counts = collections.Counter(lines)
    kept, seen = [], set()
    for line in lines:
        if counts[line] > 1 and len(line) <= CAPTION_MAX_LENGTH and line != lines[0]:
            continue
        if line not in seen:
            kept.append(line)
            seen.add(line)
    return kept


HOME_PREFIX = re.compile(r"^Home\s+A la Une\s+", re.IGNORECASE)  # lagazettedusahel.com breadcrumb
MENU_WINDOW = 12  # lines at the top of a copied page where its menu may stand
MENU_MIN_RUN = 3
MENU_ITEM_MAX_WORDS = 3


def _menu_item(line):
    return len(line.split()) <= MENU_ITEM_MAX_WORDS and not re.search(r"[.!?:;,«»]", line)


def drop_menu(lines):
    """A copied page's menu at the top ("Accueil", "Politique", "Société"…: three short lines or
    more in a row) is dropped, with the site's name above it."""
    top = lines[:MENU_WINDOW]
    for start in range(len(top)):
        end = start
        while end < len(top) and _menu_item(top[end]):
            end += 1
        if end - start >= MENU_MIN_RUN:
            return [line for line in lines[:start] if not _menu_item(line)] + lines[end:]
    return lines


def clean_lines(raw_lines):
    """(paragraphs of the article, signature or None, byline or None, breadcrumb lines)."""
    lines = [HOME_PREFIX.sub("", normalize_line(line)) for line in raw_lines]
    lines = [line for line in lines if line]
    breadcrumbs = [line for line in lines if re.match(r"^accueil\s*[/>»›|]", _head(line))]
    lines = drop_menu([line for line in cut_tail(drop_teasers(lines)) if not is_cruft(line)])
    lines, byline = split_byline(lines)
    lines, signature = split_signature(lines)
    return drop_repeated_captions(lines), signature, byline, breadcrumbs
