"""The text of an article to share by SMS or WhatsApp: 160 characters at most in
the GSM 03.38 alphabet. One character outside it (the typography's narrow
spaces, « », ’, œ, ê…) makes phones send the whole message in UCS-2, cut at
70 characters; the extension characters (€, [, ]…) count twice."""

import unicodedata

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")
SMS_MAX = 160
# What a French text holds outside the alphabet, and its nearest GSM spelling.
NEAREST = {
    "\u202f": " ",
    "\u00a0": " ",
    "\u2009": " ",
    "’": "'",
    "‘": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "—": "-",
    "–": "-",
    "…": "...",
    "œ": "oe",
    "Œ": "OE",
    "ç": "c",
}


def gsm_length(text):
    """Characters an SMS counts: two for an extension character."""
    return sum(2 if c in GSM_EXTENSION else 1 for c in text)


def outside_gsm(text):
    """The characters of ``text`` outside the GSM 03.38 alphabet, each once, in order."""
    return list(dict.fromkeys(c for c in text if c not in GSM_BASIC and c not in GSM_EXTENSION))


def to_gsm(text):
    """``text`` in the GSM alphabet: typography undone, accents the alphabet lacks removed (ê → e)."""
    out = []
    for c in text:
        c = NEAREST.get(c, c)
        if all(x in GSM_BASIC or x in GSM_EXTENSION for x in c):
            out.append(c)
            continue
        bare = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        out.append("".join(x for x in bare if x in GSM_BASIC or x in GSM_EXTENSION))
    return " ".join("".join(out).split())


def derived_sms(title, url, limit=SMS_MAX):
    """« Titre https://… » in the GSM alphabet, the title shortened (« ... ») to fit ``limit``."""
    title = to_gsm(title)
    room = limit - gsm_length(url) - 1
    if gsm_length(title) > room:
        cut = title[: max(0, room - 3)].rstrip()
        title = (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:") + "..."
    return f"{title} {url}"
