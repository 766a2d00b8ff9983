"""French grammar that templates need around names: « de l’INPS », « de la CMSS »,
« du RMA », « d’UTM » — never « de INPS ». A Jinja filter (pelicanconf.py)."""

import unicodedata

VOWELS = set("aeiouyh")
# The gender of the head noun of an institution's full name, for its article (« la CMSS »: Caisse).
FEMININE = {
    "agence",
    "association",
    "caisse",
    "centrale",
    "confederation",
    "direction",
    "federation",
    "institution",
    "mutuelle",
    "union",
}
MASCULINE = {"comite", "conseil", "centre", "fonds", "groupe", "institut", "office", "regime", "reseau", "syndicat"}


def _bare(word):
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def starts_with_vowel(word):
    return bool(word) and _bare(word[0]) in VOWELS


def elide(preposition, word):
    """« de » + « UTM » is « d’UTM »; « de » + « CMSS » stays « de CMSS »."""
    if preposition.endswith("e") and starts_with_vowel(word):
        return f"{preposition[:-1]}’{word}"
    return f"{preposition} {word}"


def article_for(institution):
    """« l’ », « la », « le » or « » for an institution's acronym, from its full name."""
    acronym = getattr(institution, "acronym", str(institution))
    name = str(getattr(institution, "name", "") or "").split()
    head = _bare(name[0]) if name else ""
    if head not in FEMININE | MASCULINE:
        return ""
    if starts_with_vowel(acronym):
        return "l’"
    return "la " if head in FEMININE else "le "


def of(institution):
    """« de l’INPS », « de la CMSS », « du RMA »; « d’… » / « de … » when the gender is unknown."""
    acronym = getattr(institution, "acronym", str(institution))
    article = article_for(institution)
    if article == "le ":
        return f"du {acronym}"
    if article:
        return f"de {article}{acronym}"
    return elide("de", acronym)
