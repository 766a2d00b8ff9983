"""Kinds of field: what one value of a header or of the institution registry holds, how it is read
and checked.

A ``Kind`` parses the text as written into the value the site uses, checks it (French problems,
through the ``check`` object the caller gives: ``problem``, ``settings``, ``registry``, ``years``),
gives the editor's widget and says whether it holds several values, whether typography applies and
which templates show it. The article schema (``pressroom.content.schema``) and the institution
registry (``pressroom.content.registry``) describe their fields with these kinds; this module
imports neither.
"""

import dataclasses
import datetime
import html
import os
import re

from markupsafe import Markup
from pelican.utils import get_date

from pressroom.content import files, frdates, images, sms
from pressroom.content.text import fold, is_web_address
from pressroom.settings import registry_shown, setting

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_PATTERN = re.compile(r"^[a-z]{2}$")
DATE_HINT = "écrivez la date sous la forme 2024-10-08 ou 8 octobre 2024"
NUMBER_PATTERN = re.compile(r"^\d{1,4}/(\d{4})$")
# Between the date and the text of a correction or a withdrawal: a dash with spaces around it.
DASH = re.compile(r"\s+[—–-]\s+")
DASH_HINT = "écrivez la date, un tiret long entouré d'espaces, puis le texte : 2024-10-09 — Lieu corrigé"
DATETIME_HINT = (
    "écrivez la date sous la forme AAAA-MM-JJ (avec l'heure si besoin : 2024-10-08 09:30) "
    "ou en toutes lettres : 8 octobre 2024 à 9h30"
)


TAG_MAX_LENGTH = 60  # each tag has its own page, named after it


# --- Kinds of field ---------------------------------------------------------------


def as_text(value):
    """The text of a field as the reader gives it: one string, or the list of its lines."""
    if isinstance(value, (list, tuple)):
        return " ".join(str(line).strip() for line in value)
    return str(value if value is not None else "").strip()


def unique(items):
    return list(dict.fromkeys(items))


class Kind:
    """What a field holds. ``parse`` turns the text as written into the value the site uses, once,
    when the reader reads the file; ``check`` gives its problems in French; ``widget`` is the Decap
    CMS widget of the editor; ``empty`` is the value of a field left out.

    ``multiple``: several values, separated by commas; ``multiline``: one value per line;
    ``typeset``: French typography applies to it (``plugins/typography``); ``shown_in``: where the
    site shows it, for the guide."""

    multiple = False
    multiline = False
    choices = ()
    pair = ()  # for « chemin — libellé » lines: the editor's names of the two halves of a line
    editor_hint = ""  # where the editor's widget replaces what the field's help says about typing

    def __init__(self, typeset=False, shown_in=()):
        self.typeset = typeset
        self.shown_in = tuple(shown_in)

    def parse(self, value):
        return as_text(value)

    def empty(self):
        return [] if self.multiple or self.multiline else ""

    def check(self, entry, spec, check):
        return []

    def widget(self, spec, context):
        return {"widget": "string"}


class Text(Kind):
    """Plain text on one line."""


class Summary(Kind):
    """Plain text, never HTML: what HTML could read as markup is escaped. Apostrophes stay as
    written so that typography can curl them (every template quotes attributes with ")."""

    def parse(self, value):
        return Markup(html.escape(as_text(value), quote=False).replace('"', "&quot;"))


class Date(Kind):
    """A date in ISO form or in French, with a time where the field's example has one."""

    def parse(self, value):
        return read_date(as_text(value))

    def empty(self):
        return None

    def check(self, entry, spec, check):
        return check_date(entry, spec, check)

    def widget(self, spec, context):
        with_time = frdates.has_time(spec.example)  # the schema shows a time in the example where one is allowed
        return {
            "widget": "datetime",
            "date_format": "YYYY-MM-DD",
            "time_format": "HH:mm" if with_time else False,
            "format": "YYYY-MM-DD HH:mm" if with_time else "YYYY-MM-DD",
            "picker_utc": False,
        }


class EventDate(Date):
    """A date of the event block: it may leave out the year (the article's) and means a whole day
    without a time, so it is typed with the rest of the block (``event_dates``), as written here."""

    def parse(self, value):
        return as_text(value)

    def empty(self):
        return ""


class Names(Kind):
    """Names separated by commas (authors, tags), each once; ``most`` (a setting) and
    ``longest`` (characters) bound them when given."""

    multiple = True

    def __init__(self, most=None, longest=None, editor_hint="", **kwargs):
        super().__init__(**kwargs)
        self.most, self.longest = most, longest
        self.editor_hint = editor_hint or self.editor_hint

    def parse(self, value):
        return unique(split_list(value))

    def check(self, entry, spec, check):
        return check_list(entry, spec, check, self.most, self.longest)

    def widget(self, spec, context):
        return {"widget": "list", "allow_add": True}


class Institutions(Names):
    editor_hint = (
        "choisissez une ou plusieurs institutions (tapez le sigle ou le nom) ; une institution "
        "absente de la liste doit d'abord être ajoutée au registre des institutions"
    )

    def check(self, entry, spec, check):
        return check_institutions(entry, spec, check)

    def widget(self, spec, context):
        options = [{"label": f"{i.acronym} — {i.name}", "value": i.acronym} for i in context["registry"]]
        return {"widget": "select", "multiple": True, "options": options}


class Addresses(Names):
    def check(self, entry, spec, check):
        return check_addresses(entry, spec, check)


class Choice(Kind):
    """One value of a closed list, however its case and accents are written; ``labels`` name the
    values in the editor, ``default`` is the editor's."""

    def __init__(self, choices, labels=None, default=None, editor_hint="", **kwargs):
        super().__init__(**kwargs)
        self.choices, self.labels, self.default, self.editor_hint = tuple(choices), labels or {}, default, editor_hint

    def parse(self, value):
        text = as_text(value)
        return next((choice for choice in self.choices if fold(choice) == fold(text)), text)

    def check(self, entry, spec, check):
        return check_choice(entry, spec, check)

    def widget(self, spec, context):
        options = [{"label": self.labels[v], "value": v} if v in self.labels else v for v in self.choices]
        return {"widget": "select", "options": options} | ({"default": self.default} if self.default else {})


class Pattern(Kind):
    """One word that a pattern describes: the editor's ``pattern`` (a regular expression and what
    it asks for) mirrors the schema's check."""

    pattern = ()
    default = None

    def widget(self, spec, context):
        return {"widget": "string", "pattern": list(self.pattern)} | ({"default": self.default} if self.default else {})


class Url(Pattern):
    pattern = (r"^https?://[^\s/]+\S*$", "une adresse complète qui commence par https:// (ou http://)")

    def check(self, entry, spec, check):
        return check_url(entry, spec, check)


class Slug(Pattern):
    pattern = (SLUG_PATTERN.pattern, "minuscules sans accent, chiffres et tirets : formation-cmss-2024")

    def check(self, entry, spec, check):
        return check_slug(entry, spec, check)


class Lang(Pattern):
    pattern = (LANG_PATTERN.pattern, "le code de la langue en deux lettres : fr")
    default = "fr"

    def check(self, entry, spec, check):
        return check_lang(entry, spec, check)


class Photo(Kind):
    """The path of a photo under content/images."""

    def parse(self, value):
        return image_path(as_text(value))

    def check(self, entry, spec, check):
        return check_image(entry, spec, check)

    def widget(self, spec, context):
        folders = media_folders(context["settings"], "EDITOR_IMAGES_FOLDER", "EDITOR_IMAGES_PUBLIC")
        return {"widget": "image", "choose_url": False} | folders


class Number(Kind):
    def check(self, entry, spec, check):
        return check_number(entry, spec, check)


class Lines(Kind):
    """One entry per line; the editor gives a list of one-line texts."""

    multiline = True

    def __init__(self, entry_label, **kwargs):
        super().__init__(**kwargs)
        self.entry_label = entry_label

    def parse(self, value):
        return lines_of(value)

    def widget(self, spec, context):
        return {"widget": "list", "field": {"label": self.entry_label, "name": "ligne", "widget": "string"}}


class DatedLines(Lines):
    """« date — texte », one per line (Corrections), oldest first."""

    def parse(self, value):
        return sorted(dated_lines(value), key=lambda dated: dated.date)

    def check(self, entry, spec, check):
        return check_lines(entry, spec, check)


class Attachments(Lines):
    """« fichiers/x.pdf — Libellé », one per line; the editor gives each line a file picker (in
    content/fichiers) and a label, which its Pelican format joins with the dash."""

    pair = ("fichier", "libelle")

    def parse(self, value):
        return attachments(value)

    def check(self, entry, spec, check):
        return check_attachments(entry, spec, check)

    def widget(self, spec, context):
        picker = {"label": "Fichier", "name": self.pair[0], "widget": "file", "choose_url": False}
        picker.update(media_folders(context["settings"], "EDITOR_FILES_FOLDER", "EDITOR_FILES_PUBLIC"))
        label = {"label": "Libellé", "name": self.pair[1], "widget": "string"}
        return {"widget": "list", "label_singular": self.entry_label, "collapsed": False, "fields": [picker, label]}


class Withdrawal(Kind):
    """« date — raison », on one line."""

    def parse(self, value):
        found = dated_lines(value)
        return found[0] if found else None

    def empty(self):
        return None

    def check(self, entry, spec, check):
        return check_dated_line(entry, spec, check, entry.value, entry.line)


class Sms(Kind):
    def check(self, entry, spec, check):
        return check_sms(entry, spec, check)


class Token(Kind):
    """Written by `invoke lien-embargo` only: the editor keeps it as it is, never typed."""

    def check(self, entry, spec, check):
        return check_token(entry, spec, check)

    def widget(self, spec, context):
        return {"widget": "hidden"}


class Spokesperson(Kind):
    """A name among the registry's spokespeople (``check_spokesperson`` checks it against the
    article's institutions)."""

    def widget(self, spec, context):
        options = [
            {"label": f"{person.name} ({institution.acronym})", "value": person.name}
            for institution in context["registry"]
            for person in institution.spokespeople
        ]
        return {"widget": "select", "options": options} if options else super().widget(spec, context)


def media_folders(settings, folder, public):
    """A field's own media folder in the editor: from the project's root (leading slash)."""
    return {"media_folder": "/" + setting(settings, folder), "public_folder": setting(settings, public)}


def split_list(value):
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    return [item.strip() for item in str(value or "").split(",") if item.strip()]


def read_date(value, default_year=None):
    """A naive datetime from an ISO or French date ('8 octobre 2024 à 10h30', or other ISO 8601
    forms such as 2024-10-08T10:30:00+00:00, whose zone is kept); ValueError in French."""
    try:
        return frdates.parse_date(str(value), default_year=default_year)
    except ValueError as french_error:
        try:
            return get_date(str(value))
        except (ValueError, OverflowError):
            raise french_error from None


# --- Field checks (one function per kind) ------------------------------------


def check_date(entry, spec, check):
    try:
        moment = read_date(entry.value, check.default_year if spec.group == "event" else None)
    except ValueError as error:
        return [check.problem(entry, spec.name, str(error), DATETIME_HINT if spec.group == "event" else DATE_HINT)]
    first, last = check.years
    if not first <= moment.year <= last:
        return [
            check.problem(
                entry,
                spec.name,
                f"date hors de la période admise « {entry.value} »",
                f"écrivez une date entre {first} et {last}",
            )
        ]
    return []


def check_institutions(entry, spec, check):
    names = split_list(entry.value)
    if check.registry is None:
        return []
    return [
        check.problem(
            entry,
            spec.name,
            f"institution inconnue « {name} »",
            f"corrigez le sigle ou ajoutez l'institution au registre {registry_shown(check.settings)}",
        )
        for name in names
        if check.registry.find(name) is None
    ]


def check_list(entry, spec, check, most_setting=None, longest=None):
    most = setting(check.settings, most_setting) if most_setting else None
    items = split_list(entry.value)
    if ";" in entry.value:
        return [check.problem(entry, spec.name, "point-virgule dans la liste", "séparez les valeurs par des virgules")]
    if most is not None and len(items) > most:
        return [check.problem(entry, spec.name, f"{len(items)} valeurs, {most} au plus", "gardez les plus importantes")]
    return [
        check.problem(entry, spec.name, f"« {item[:20]}… » : {TAG_MAX_LENGTH} caractères au plus", "raccourcissez-le")
        for item in items
        if longest and len(item) > longest
    ]


ADDRESS_PATTERN = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)+$")


def check_addresses(entry, spec, check):
    """Old addresses of the site, as listed in content/adresses-publiees.txt: ``2021/11/slug/``."""
    return [
        check.problem(
            entry,
            spec.name,
            f"adresse invalide « {item} »",
            "écrivez l'ancienne adresse telle qu'elle figure dans content/adresses-publiees.txt, sans le nom du "
            "site : 2021/11/ancien-article/",
        )
        for item in split_list(entry.value)
        if len(item) > 200 or not ADDRESS_PATTERN.match(item.lstrip("/"))
    ]


def check_slug(entry, spec, check):
    if SLUG_PATTERN.match(entry.value):
        return []
    return [
        check.problem(
            entry,
            spec.name,
            f"adresse invalide « {entry.value} »",
            "utilisez seulement des lettres minuscules sans accent, des chiffres et des tirets : formation-cmss-2024",
        )
    ]


def check_url(entry, spec, check):
    if is_web_address(entry.value):
        return []
    return [
        check.problem(
            entry,
            spec.name,
            f"adresse refusée « {entry.value} »",
            "écrivez une adresse complète qui commence par https:// (ou http://)",
        )
    ]


def check_choice(entry, spec, check):
    if spec.kind.parse(entry.value) in spec.choices:
        return []
    if spec.key == "status":
        hint = "écrivez Status: draft pour un brouillon, ou retirez la ligne pour publier"
        return [check.problem(entry, spec.name, f"statut inconnu « {entry.value} »", hint)]
    return [
        check.problem(entry, spec.name, f"valeur inconnue « {entry.value} »", "choisissez : " + ", ".join(spec.choices))
    ]


def check_lang(entry, spec, check):
    if LANG_PATTERN.match(entry.value):
        return []
    return [
        check.problem(entry, spec.name, f"langue inconnue « {entry.value} »", "écrivez le code en deux lettres : fr")
    ]


def image_path(value):
    """The path of a photo relative to the content folder: ``{static}/images/x.jpg`` is ``images/x.jpg``."""
    path = str(value or "").strip()
    for prefix in ("{static}", "{attach}", "|static|"):
        path = path.removeprefix(prefix)
    return path.lstrip("/")


def check_image(entry, spec, check):
    path = image_path(entry.value)
    parts = path.split("/")
    if path.startswith("images/") and ".." not in parts and "\\" not in path and ":" not in path:
        max_pixels = setting(check.settings, "MEDIA_MAX_PIXELS")
        found = images.image_problem(
            os.path.join(check.settings["PATH"], path), max_pixels, images.cache_folder(check.settings)
        )
        return [check.problem(entry, spec.name, f"{found[0]} « {path} »", found[1])] if found else []
    return [
        check.problem(
            entry,
            spec.name,
            f"chemin refusé « {entry.value} »",
            "placez la photo dans content/images/ et écrivez images/nom-du-fichier.jpg",
        )
    ]


def check_number(entry, spec, check):
    if NUMBER_PATTERN.match(entry.value.strip()):
        return []
    return [
        check.problem(
            entry, spec.name, f"numéro illisible « {entry.value} »", "écrivez le numéro et l'année : Number: 12/2025"
        )
    ]


def lines_of(value):
    """The non-empty lines of a multi-line field, whether Pelican gives one string or a list."""
    if isinstance(value, (list, tuple)):
        return [str(line).strip() for line in value if str(line).strip()]
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


@dataclasses.dataclass(frozen=True)
class Dated:
    """A dated line: « 2024-10-09 — Lieu corrigé »."""

    date: datetime.datetime
    text: str


def read_dated(line):
    """The date and text of « date — texte »; ValueError in French."""
    parts = DASH.split(line.strip(), maxsplit=1)
    if len(parts) != 2 or not parts[1].strip():
        raise ValueError(f"date et texte non séparés « {line} »")
    return Dated(read_date(parts[0]).replace(tzinfo=None), parts[1].strip())


def readable_lines(value, read):
    """What ``read`` makes of each line of a field's value that it reads (the gate has refused the others)."""
    found = []
    for line in lines_of(value):
        try:
            found.append(read(line))
        except ValueError:
            continue
    return found


def dated_lines(value):
    return readable_lines(value, read_dated)


def check_dated_line(entry, spec, check, line, number):
    try:
        read_dated(line)
    except ValueError as error:
        hint = DASH_HINT if "séparés" in str(error) else DATE_HINT
        return [check.problem(number, spec.name, str(error), hint)]
    return []


def check_lines(entry, spec, check):
    problems = []
    for offset, line in enumerate(entry.lines):
        if line.strip():
            problems += check_dated_line(entry, spec, check, line, entry.line + offset)
    return problems


def check_sms(entry, spec, check):
    text = entry.value.strip()
    problems = []
    foreign = sms.outside_gsm(text)
    if foreign:
        shown = ", ".join(f"« {c} »" if c.strip() else "espace insécable" for c in foreign)
        problems.append(
            check.problem(
                entry,
                spec.name,
                f"caractères hors de l'alphabet des SMS : {shown} (le SMS serait coupé à 70 caractères)",
                "écrivez-les sans accent circonflexe ni cédille, avec des guillemets droits \" et l'apostrophe '",
            )
        )
    length = sms.gsm_length(text)
    if length > sms.SMS_MAX:
        problems.append(
            check.problem(entry, spec.name, f"{length} caractères, {sms.SMS_MAX} au plus", "raccourcissez le texte")
        )
    return problems


TOKEN_MIN_LENGTH = 22  # 128 random bits in base64url (pressroom.content.embargo writes 32 characters)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")


def token_problem(token):
    """Why a written Preview-Token is refused, or None."""
    if len(token) < TOKEN_MIN_LENGTH:
        return f"jeton de {len(token)} caractères, {TOKEN_MIN_LENGTH} au moins"
    if not TOKEN_PATTERN.match(token):
        return "jeton illisible (lettres, chiffres, « - » et « _ » seulement)"
    return None


def check_token(entry, spec, check):
    found = token_problem(entry.value.strip())
    hint = "retirez la ligne puis lancez invoke lien-embargo sur ce fichier : il écrit un jeton sûr"
    return [check.problem(entry, spec.name, found, hint)] if found else []


ATTACHMENTS_FOLDER = "fichiers"


@dataclasses.dataclass(frozen=True)
class Attachment:
    path: str  # relative to the content folder: fichiers/x.pdf
    label: str


def read_attachment(line):
    """The path and label of « fichiers/x.pdf — Libellé »; ValueError in French."""
    parts = DASH.split(line.strip(), maxsplit=1)
    path = parts[0].strip().removeprefix("{static}").removeprefix("{attach}").lstrip("/")
    if len(parts) != 2 or not parts[1].strip():
        raise ValueError(f"chemin et libellé non séparés « {line.strip()} »")
    pieces = path.split("/")
    if pieces[0] != ATTACHMENTS_FOLDER or len(pieces) < 2 or ".." in pieces or "\\" in path or ":" in path:
        raise ValueError(f"chemin refusé « {path} »")
    return Attachment(path, parts[1].strip())


def attachments(value):
    return readable_lines(value, read_attachment)


def check_attachments(entry, spec, check):
    problems = []
    for offset, line in enumerate(entry.lines):
        if not line.strip():
            continue
        number = entry.line + offset
        try:
            attachment = read_attachment(line)
        except ValueError as error:
            hint = "écrivez le chemin, un tiret long entouré d'espaces, puis le libellé : " + spec.example
            if "refusé" in str(error):
                hint = "placez le fichier dans content/fichiers/ et écrivez fichiers/nom-du-fichier.pdf — Libellé"
            problems.append(check.problem(number, spec.name, str(error), hint))
            continue
        found = files.attachment_problem(os.path.join(check.settings["PATH"], attachment.path))
        if found:
            problems.append(check.problem(number, spec.name, f"{found[0]} « {attachment.path} »", found[1]))
    return problems


def check_withdrawal(entry, spec, check):
    return check_dated_line(entry, spec, check, entry.value, entry.line)


E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")  # ITU-T E.164: « + », country code, at most 15 digits
ONE_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)


class Phone(Kind):
    """A telephone number in the international form E.164: +22320000000."""

    def check(self, entry, spec, check):
        if E164.match(entry.value):
            return []
        message = f"numéro « {entry.value} » refusé (format international E.164 attendu)"
        hint = 'écrivez « + », l\'indicatif du pays puis le numéro, sans espace : "+22320000000"'
        return [check.problem(entry, spec.name, message, hint)]


class Email(Kind):
    """One e-mail address."""

    def check(self, entry, spec, check):
        if ONE_EMAIL.match(entry.value):
            return []
        message = f"adresse « {entry.value} » refusée (une seule adresse e-mail attendue)"
        return [
            check.problem(
                entry, spec.name, message, "écrivez une seule adresse complète, par exemple presse@exemple.ml"
            )
        ]
