"""The article schema: every field an article may hold, defined once, and how it is read.

Each ``Field`` says what it is (name, required for which ``Status``), how a
communication officer is told about it (French label, help, example) and its
kind: an instance of a ``Kind`` class that parses the text as written into the
value the site uses, checks it, gives the editor's widget and says whether it
holds several values, whether typography applies and which templates show it.
The Markdown reader (``pressroom.build.lint.FrenchMetadata``) parses every field
through its kind; plugins, templates and our code read the typed values through
``Fields`` (``article.fields.author_service``, ``fields_of(content)``), never the
metadata. The content check (``invoke lint`` and the build), ``invoke new``, the
importer, the editor and the documents' tables (``invoke guide``) all read this
module; adding a field is one entry here plus its use.

``check_header`` returns one ``Problem`` per fault, each naming file, line and
field, in French: ``fichier:ligne: champ: problème — comment corriger``.
"""

import dataclasses
import datetime
import difflib
import html
import os
import re

from markupsafe import Markup
from pelican.utils import get_date

from pressroom.content import files, frdates, images, sms
from pressroom.content.problems import Problem
from pressroom.content.registry import normalize
from pressroom.content.text import INVISIBLE, is_web_address
from pressroom.settings import registry_shown, setting

ALL = ("published", "draft", "hidden")
PUBLISHED = ("published", "hidden")
STATUSES = ALL
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_PATTERN = re.compile(r"^[a-z]{2}$")
DATE_HINT = "écrivez la date sous la forme 2024-10-08 ou 8 octobre 2024"
RELEASE_TYPES = (
    "Communiqué de presse",
    "Avis aux médias",
    "Démenti",
    "Discours",
    "Actualité",
    "Reportage",
    "Dossier de presse",
)
SUMMARY_MAX = 300
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
        return next((choice for choice in self.choices if normalize(choice) == normalize(text)), text)

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


STATUS_LABELS = {
    "draft": "brouillon : pas encore sur le site",
    "published": "publié : visible sur le site",
    "hidden": "publié mais absent des listes",
}
STATUS_HINT = (
    "brouillon : l'article n'est pas sur le site ; publié : il paraît à la prochaine mise à jour du site ; "
    "le bouton « Publier » en haut enregistre l'article, il ne le met pas en ligne"
)
TAGS_HINT = "tapez les valeurs séparées par des virgules ({most} au plus) ; écrivez-les toujours de la même façon"


@dataclasses.dataclass(frozen=True)
class Field:
    name: str  # as written in the header: « Event-Start »
    label: str  # French, for the guide and the editor
    help: str  # French: what to write
    example: str = ""
    kind: Kind = Text()
    required: tuple = ()  # the statuses for which the field must be filled
    group: str = "article"  # "article" or "event"
    aliases: tuple = ()  # French names an officer may write by mistake
    in_new: bool = True  # written (empty or filled) by `invoke new`
    max_length: int = 300  # characters: the file name made from a title must stay within the system's limits
    stored: str = ""  # the key of Pelican's metadata when it is not ``key`` (Author: « authors »)

    @property
    def key(self):
        """The name as written, in lower case, as Pelican stores it in ``metadata``."""
        return self.name.lower()

    @property
    def attribute(self):
        """The name in ``article.fields``: ``author_service``."""
        return self.key.replace("-", "_")

    @property
    def multiple(self):
        return self.kind.multiple

    @property
    def multiline(self):
        """Written on several lines (indented continuation lines), one value per line."""
        return self.kind.multiline

    @property
    def choices(self):
        return self.kind.choices

    def required_for(self, status):
        return status in self.required


FIELDS = (
    Field(
        "Title",
        "Titre",
        "le titre, tel qu'il s'affichera",
        "Formation des délégués syndicaux",
        required=ALL,
        aliases=("titre",),
    ),
    Field(
        "Date",
        "Date de publication",
        "`2024-10-08 10:30` ou `8 octobre 2024 à 10h30` (heure du fuseau du site) ; une date future met "
        "l'article sous embargo : il paraît à la première construction qui suit cette date",
        "2024-10-08 10:30",
        kind=Date(),
        required=ALL,
        aliases=("date de publication",),
    ),
    Field(
        "Modified",
        "Date de mise à jour",
        "la date de la dernière correction, sous la même forme que `Date` ; la page affiche « Mis à jour "
        "le … » et les flux gardent la date de publication",
        "2024-10-09",
        kind=Date(),
        in_new=False,
        aliases=("modifie", "mise a jour"),
    ),
    Field(
        "Author",
        "Auteur",
        "prénom et nom (obligatoire pour publier) ; plusieurs auteurs séparés par des virgules",
        "Aminata Bocar Sow",
        kind=Names(),
        required=PUBLISHED,
        aliases=("auteur", "auteurs", "authors"),
        max_length=100,
        stored="authors",
    ),
    Field(
        "Author-Service",
        "Service de l'auteur",
        "le service, par exemple `CCOM-RP/CMSS`",
        "CCOM-RP/CMSS",
        kind=Text(shown_in=("article.html", "lite/article.html")),
        aliases=("service",),
    ),
    Field(
        "Institutions",
        "Institutions",
        "les sigles, séparés par des virgules : `CMSS, UNTM` ; chaque sigle doit figurer dans le registre "
        "des institutions (majuscules, accents et noms complets sont reconnus)",
        "CMSS, UNTM",
        kind=Institutions(),
        required=ALL,
        aliases=("institution", "organismes", "organisme"),
    ),
    Field(
        "Tags",
        "Thèmes",
        "les thèmes, séparés par des virgules (20 au plus) ; écrivez un thème toujours de la même façon",
        "formation, dialogue social",
        kind=Names(most="TAGS_MAX", longest=TAG_MAX_LENGTH, editor_hint=TAGS_HINT),
        aliases=("themes", "theme", "mots-cles", "tag"),
        max_length=100_000,
    ),
    Field(
        "Category",
        "Type de publication",
        "un seul type, pris dans la liste : " + ", ".join(RELEASE_TYPES) + " ; il s'affiche en étiquette "
        "au-dessus du titre et chaque type a sa page et son flux",
        "Communiqué de presse",
        kind=Choice(RELEASE_TYPES),
        aliases=("categorie", "rubrique", "type"),
    ),
    Field(
        "Number",
        "Numéro",
        "facultatif : le numéro du communiqué, « numéro/année », unique pour la première institution et l'année",
        "12/2025",
        kind=Number(shown_in=("article.html", "lite/article.html")),
        in_new=False,
        aliases=("numero", "no", "n°"),
    ),
    Field(
        "Summary",
        "Chapô",
        f"une ou deux phrases en texte simple ({SUMMARY_MAX} caractères au plus, obligatoire pour publier) ; "
        "affichées sous le titre, dans les listes et les flux",
        "La CMSS a formé quarante délégués syndicaux à Bamako.",
        kind=Summary(typeset=True),
        required=PUBLISHED,
        aliases=("resume", "chapo", "chapeau"),
        max_length=SUMMARY_MAX,
    ),
    Field(
        "Corrections",
        "Corrections",
        "une correction par ligne, « date — ce qui a changé » ; les lignes suivantes commencent par "
        "quatre espaces ; mettez aussi à jour `Modified`",
        "2024-10-09 — Lieu de l'atelier corrigé",
        kind=DatedLines("Correction"),
        in_new=False,
        aliases=("correction", "rectificatif", "erratum"),
    ),
    Field(
        "Withdrawn",
        "Retrait",
        "pour retirer un communiqué sans le supprimer : « date — raison » ; la page reste en ligne sous "
        "un bandeau « Retiré le … » mais quitte les listes, les flux, l'agenda et la recherche",
        "2024-10-12 — Atelier reporté à une date ultérieure",
        kind=Withdrawal(),
        in_new=False,
        aliases=("retire", "retrait"),
    ),
    Field(
        "Image",
        "Photo",
        "le chemin de la photo principale, placée dans `content/images/` (JPEG, PNG, WebP ou GIF ; 20 Mo et "
        "50 millions de pixels au plus) ; le site en fait des versions légères pour les téléphones et l'image "
        "des partages, sans les informations cachées de l'appareil",
        "images/cmss-formation-2024.jpg",
        kind=Photo(),
        in_new=False,
        aliases=("photo",),
    ),
    Field(
        "Image-Alt",
        "Description de la photo",
        "obligatoire avec `Image` : ce que montre la photo, pour qui ne la voit pas",
        "Les participants à la session de formation, dans la salle de conférence de la CMSS",
        kind=Text(typeset=True),
        in_new=False,
        aliases=("alt", "description photo", "texte alternatif"),
    ),
    Field(
        "Image-Caption",
        "Légende",
        "facultatif : la légende affichée sous la photo",
        "Ouverture de la session, le 8 octobre 2024",
        kind=Text(typeset=True),
        in_new=False,
        aliases=("legende",),
    ),
    Field(
        "Image-Credit",
        "Crédit photo",
        "l'auteur ou le propriétaire de la photo, affiché avec le lien de téléchargement",
        "CCOM-RP/CMSS",
        kind=Text(typeset=True),
        in_new=False,
        aliases=("credit", "credit photo"),
    ),
    Field(
        "Attachments",
        "Pièces jointes",
        "un fichier par ligne, « chemin — libellé », placé dans `content/fichiers/` (PDF, ODT, ODS, ODP, DOCX, "
        "XLSX, PPTX sans macros, CSV, TXT ou ZIP ; 30 Mo au plus) ; les lignes suivantes commencent par quatre "
        "espaces ; la page affiche le libellé, le format et le poids",
        "fichiers/cmss-communique-signe.pdf — Communiqué signé",
        kind=Attachments("Pièce jointe"),
        in_new=False,
        aliases=("pieces jointes", "piece jointe", "fichiers", "documents"),
    ),
    Field(
        "Spokesperson",
        "Porte-parole",
        "facultatif : le nom d'un porte-parole d'une des institutions de l'article, tel qu'il figure sous "
        "« porte_parole » dans le registre des institutions ; la page le présente en premier contact",
        "Awa Exemple",
        kind=Spokesperson(),
        in_new=False,
        aliases=("porte-parole", "porte parole", "contact"),
        max_length=100,
    ),
    Field(
        "Preview-Token",
        "Jeton du lien sous embargo",
        "écrit par `invoke lien-embargo FICHIER` : le secret de l'adresse /apercu/…/ où la presse lit le "
        "communiqué avant sa date ; ne l'écrivez pas à la main, ne le copiez pas d'un autre article",
        "",
        kind=Token(),
        in_new=False,
        aliases=("jeton", "lien embargo", "lien-embargo"),
        max_length=100,
    ),
    Field(
        "SMS",
        "Texte SMS",
        "facultatif : le texte à partager par SMS ou WhatsApp, 160 caractères au plus, sans « », ’, œ, ê, "
        "â, î, ô, û, ç ni espace fine (hors de l'alphabet des SMS) ; sans ce champ : le titre et l'adresse",
        "La CMSS forme 100 syndicalistes de l'UNTM du 8 au 10 octobre https://presse.exemple.org/2024/10/f/",
        kind=Sms(),
        in_new=False,
        aliases=("texte sms", "texto"),
    ),
    Field(
        "Source",
        "Source",
        "l'adresse (https://…) de la page d'origine d'un article repris",
        "https://www.exemple.ml/article",
        kind=Url(shown_in=("article.html", "lite/article.html")),
        in_new=False,
        aliases=("lien", "url source"),
    ),
    Field(
        "Redirect-From",
        "Anciennes adresses",
        "les adresses d'articles publiés que cet article remplace (elles renverront vers lui), séparées par "
        "des virgules : `2021/11/ancien-article/`",
        "2021/11/ancien-article/",
        kind=Addresses(),
        in_new=False,
        aliases=("redirection", "ancienne adresse", "anciennes adresses"),
    ),
    Field(
        "Slug",
        "Adresse",
        "la fin de l'adresse de la page : minuscules sans accent, chiffres et tirets",
        "formation-delegues-syndicaux",
        kind=Slug(),
        aliases=("adresse",),
        max_length=100,
    ),
    Field(
        "Lang",
        "Langue",
        "la langue de l'article, en deux lettres : `fr`",
        "fr",
        kind=Lang(),
        aliases=("langue",),
    ),
    Field(
        "Status",
        "Statut",
        "`draft` (brouillon, non publié) tant que l'article n'est pas prêt ; `published`, ou pas de ligne "
        "`Status`, pour publier ; `hidden` pour une page publiée mais absente des listes",
        "draft",
        kind=Choice(STATUSES, STATUS_LABELS, "draft", STATUS_HINT),
        aliases=("statut", "etat"),
    ),
    Field(
        "Event",
        "Événement",
        "le nom de l'événement",
        "Atelier national de formation",
        kind=Text(typeset=True),
        group="event",
        aliases=("evenement",),
    ),
    Field(
        "Event-Start",
        "Début de l'événement",
        "la date de début : `2024-10-08`, ou `2024-10-08 09:00` si l'heure est connue",
        "2024-10-08 09:00",
        kind=EventDate(),
        group="event",
        aliases=("debut", "date de debut"),
    ),
    Field(
        "Event-End",
        "Fin de l'événement",
        "la date de fin, jamais avant le début ; une date sans heure après un début avec heure "
        "désigne la fin de ce jour-là (la même date pour un seul jour)",
        "2024-10-10",
        kind=EventDate(),
        group="event",
        aliases=("fin", "date de fin"),
    ),
    Field(
        "Event-Location",
        "Lieu de l'événement",
        "le lieu : `Direction générale de la CMSS, Bamako`",
        "Direction générale de la CMSS, Bamako",
        kind=Text(typeset=True),
        group="event",
        aliases=("lieu",),
    ),
    Field(
        "Event-Organizers",
        "Organisateurs",
        "les sigles des institutions qui organisent l'événement, séparés par des virgules (pas celles qui "
        "l'accueillent ou y assistent) ; sans ce champ, aucun organisateur n'est affiché",
        "CMSS",
        kind=Institutions(),
        group="event",
        aliases=("organisateurs", "organisateur", "organizers"),
    ),
)
BY_KEY = {field.key: field for field in FIELDS}
BY_ATTRIBUTE = {field.attribute: field for field in FIELDS}
EVENT_FIELDS = tuple(field for field in FIELDS if field.group == "event")


@dataclasses.dataclass(frozen=True)
class Document:
    """One kind of source file: the fields it may hold and, for a page, the ones it must."""

    name: str  # French: « article », « page »
    fields: tuple
    required: frozenset = None  # keys required whatever the status; None: each field's own rule

    @property
    def by_key(self):
        return {spec.key: spec for spec in self.fields}

    def required_for(self, spec, status):
        return spec.required_for(status) if self.required is None else spec.key in self.required


ARTICLE = Document("article", FIELDS)
# A page of content/pages (the accessibility statement…) is no release: a title and its text, an
# address, a status, a summary for its description, the date of its last update, its language.
PAGE = Document(
    "page",
    tuple(BY_KEY[key] for key in ("title", "slug", "status", "summary", "modified", "lang")),
    frozenset({"title"}),
)

# Metadata that steers where and how Pelican writes a page: never from an article.
RESERVED = {
    "save_as",
    "url",
    "template",
    "override",
    "override_url",
    "override_save_as",
    "path",
    "source_path",
    "relative_source_path",
    "settings",
    "translation",
    "translations",
    "filename",
    "page_order",
    "private",
    "in_default_lang",
    "category_url",
    "author_url",
    "metadata",
    "content",
    "summary_max_length",
}


def field(name):
    return BY_KEY[name.lower()]


def parsed(name, value):
    """The value of the field ``name`` (a metadata key) as its kind reads it; another key's value as it is."""
    spec = BY_KEY.get(name)
    return spec.kind.parse(value) if spec else value


class Fields:
    """The schema's fields of one content, typed, read-only: ``article.fields.author_service``. The
    reader has put each value in the content's metadata as its kind parsed it; a field left out
    reads as its kind's empty value. The one way plugins, templates and our code read a field."""

    __slots__ = ("_metadata",)

    def __init__(self, metadata):
        object.__setattr__(self, "_metadata", metadata)

    def __getattr__(self, attribute):
        spec = BY_ATTRIBUTE.get(attribute)
        if spec is None:
            raise AttributeError(f"aucun champ « {attribute} » dans le schéma")
        value = self._metadata.get(spec.stored or spec.key)
        return spec.kind.empty() if value is None else value

    def __setattr__(self, name, value):
        raise AttributeError("les champs d'un article se lisent dans son fichier, ils ne s'écrivent pas")

    def __reduce__(self):
        return Fields, (self._metadata,)

    def written(self, attribute):
        """Whether the content's file gives the field a value."""
        spec = BY_ATTRIBUTE[attribute]
        return self._metadata.get(spec.stored or spec.key) not in (None, "", [])


def typeset_fields(metadata, typeset):
    """Typeset, in a reader's ``metadata``, the text of every field whose kind is typeset."""
    for spec in FIELDS:
        if spec.kind.typeset and isinstance(metadata.get(spec.key), str):
            metadata[spec.key] = typeset(metadata[spec.key])


def retype(content, name, value):
    """Give a content's field ``name`` a new value of its kind (the title, typeset once the address
    is made from it as written), so that ``fields`` reads what the page shows."""
    content.metadata[BY_KEY[name].stored or name] = value


def fields_of(content):
    """The typed fields of a Pelican content (an Article, a Page)."""
    return Fields(getattr(content, "metadata", {}))


# --- What a checked article is made of ---------------------------------------


@dataclasses.dataclass
class Check:
    """What the checks of one file need besides its header."""

    path: str
    shown: str  # the path as printed: relative to the content folder
    registry: object
    settings: dict
    today: datetime.date
    default_year: int = None  # the year of the article's Date, for event dates written without one

    def problem(self, entry_or_line, field_name, message, hint=""):
        line = entry_or_line if isinstance(entry_or_line, int) else entry_or_line.line
        return Problem(self.shown, field_name, message, hint, line)

    @property
    def years(self):
        first = setting(self.settings, "CONTENT_YEAR_MIN")
        return first, self.today.year + setting(self.settings, "CONTENT_YEARS_AHEAD")


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


def status_of(header):
    entry = header.first("status")
    return entry.value.strip().lower() if entry and entry.value.strip() else "published"


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


# --- Names ---------------------------------------------------------------------


def suggestion(name):
    """The schema field nearest to a misspelt name (« Titre » → Title), or None."""
    folded = normalize(name)
    candidates = {normalize(f.name): f for f in FIELDS}
    candidates.update({normalize(alias): f for f in FIELDS for alias in f.aliases})
    candidates.update({normalize(f.label): f for f in FIELDS})
    if folded in candidates:
        return candidates[folded]
    close = difflib.get_close_matches(folded, candidates, n=1, cutoff=0.75)
    return candidates[close[0]] if close else None


def check_names(header, check, kind=ARTICLE):
    """Unknown and reserved field names, an article's field in a page, and fields written twice."""
    problems, seen, allowed = [], {}, kind.by_key
    for entry in header.entries:
        if entry.key in RESERVED:
            problems.append(
                check.problem(
                    entry,
                    entry.name,
                    "champ réservé : il déciderait où et comment la page est écrite",
                    "supprimez cette ligne ; l'adresse se règle avec Slug",
                )
            )
        elif entry.key in BY_KEY and entry.key not in allowed:
            problems.append(
                check.problem(
                    entry,
                    BY_KEY[entry.key].name,
                    f"champ d'article, sans place dans une {kind.name}",
                    "supprimez cette ligne : une page n'a que " + ", ".join(spec.name for spec in kind.fields),
                )
            )
        elif entry.key not in BY_KEY:
            near = suggestion(entry.name)
            hint = f"vouliez-vous écrire « {near.name}: » ?" if near else "supprimez cette ligne ou corrigez son nom"
            problems.append(check.problem(entry, entry.name, "champ inconnu", hint))
        elif entry.key in seen:
            problems.append(
                check.problem(
                    entry,
                    BY_KEY[entry.key].name,
                    f"champ écrit deux fois (déjà ligne {seen[entry.key]})",
                    "gardez une seule ligne ; pour plusieurs valeurs, séparez-les par des virgules",
                )
            )
        else:
            seen[entry.key] = entry.line
    return problems


# --- One file ------------------------------------------------------------------

# Characters that XML (feeds, sitemap) cannot hold: they would break every feed of the site.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
RETYPE_HINT = "retapez cette ligne : le caractère vient souvent d'un copier-coller"


# Each class of refused character, and how the message names one of them.
REFUSED_CHARACTERS = (
    (FORBIDDEN_CHARACTERS, lambda c: f"caractère de contrôle invisible (code {ord(c)})"),
    (INVISIBLE, lambda c: f"caractère invisible de mise en forme (U+{ord(c):04X})"),
)


def check_characters(text, check):
    """Invisible control characters and format characters (a direction override shows readers
    another text than the one written), anywhere in the file: one problem at the first of each class."""
    problems = []
    for pattern, named in REFUSED_CHARACTERS:
        found = pattern.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            problems.append(check.problem(line, "fichier", named(found.group(0)), RETYPE_HINT))
    return problems


def check_header(header, check, kind=ARTICLE):
    """Every problem of the header of one article (or of one page, with ``kind=PAGE``)."""
    if header.empty_file:
        return [check.problem(1, "fichier", "fichier vide", "écrivez l'en-tête puis le texte, ou supprimez le fichier")]
    problems = check_names(header, check, kind)
    status = status_of(header)
    check.default_year = publication_year(header)
    for spec in kind.fields:
        entry = header.first(spec.key)
        if entry is None or not "".join(entry.lines).strip():
            if kind.required_for(spec, status):
                problems.append(check.problem(entry.line if entry else 1, spec.name, *missing(spec)))
            continue
        if len(entry.lines) > 1 and not spec.multiline:
            problems.append(
                check.problem(
                    entry,
                    spec.name,
                    "le champ continue sur la ligne suivante",
                    "écrivez la valeur sur une seule ligne, ou séparez deux champs par leur nom",
                )
            )
            continue
        if len(entry.value) > spec.max_length:
            problems.append(
                check.problem(
                    entry,
                    spec.name,
                    f"{spec.label.lower()} de {len(entry.value)} caractères, {spec.max_length} au plus",
                    "raccourcissez-le",
                )
            )
        else:
            problems += spec.kind.check(entry, spec, check)
    if kind is not ARTICLE:
        return problems
    return problems + check_event(header, check) + check_photo(header, check) + check_spokesperson(header, check)


def check_spokesperson(header, check):
    """The spokesperson named must be an entry of « porte_parole » of one of the article's institutions."""
    entry, institutions = header.first("spokesperson"), header.first("institutions")
    if entry is None or not entry.value.strip() or check.registry is None:
        return []
    names = split_list(institutions.value if institutions else "")
    if check.registry.spokesperson(names, entry.value.strip()):
        return []
    known = [
        person.name for name in names if check.registry.find(name) for person in check.registry.find(name).spokespeople
    ]
    hint = (
        "choisissez : " + ", ".join(known)
        if known
        else "ajoutez la personne sous « porte_parole » dans " + registry_shown(check.settings)
    )
    return [
        check.problem(
            entry,
            "Spokesperson",
            f"porte-parole inconnu « {entry.value.strip()} » pour {', '.join(names) or 'ces institutions'}",
            hint,
        )
    ]


def check_photo(header, check):
    """A photo needs its description: the page cannot show it to everyone otherwise."""
    photo, alt = header.first("image"), header.first("image-alt")
    if photo is None or not photo.value.strip() or (alt is not None and alt.value.strip()):
        return []
    return [
        check.problem(
            alt or photo,
            "Image-Alt",
            "description de la photo absente",
            "ajoutez une ligne « Image-Alt: » qui dit ce que montre la photo",
        )
    ]


def publication_year(header):
    entry = header.first("date")
    try:
        return read_date(entry.value).year if entry else None
    except ValueError:
        return None


def missing(spec):
    example = spec.example.split(",")[0] if isinstance(spec.kind, Institutions) else spec.example
    return "champ obligatoire absent ou vide", f"ajoutez une ligne « {spec.name}: », par exemple {spec.name}: {example}"


# --- Events ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EventDates:
    name: str
    start: datetime.datetime
    end: datetime.datetime
    location: str


def event_dates(fields, default_year=None):
    """The event of an article's ``Fields``, or None; ValueError (French) for a date that does not
    read. A date-only end after a timed start ends that day."""
    name, start_text, end_text = fields.event, fields.event_start, fields.event_end
    if not start_text:
        return None
    start = read_date(start_text, default_year).replace(tzinfo=None)
    end = read_date(end_text, default_year).replace(tzinfo=None) if end_text else start
    if end_text and frdates.has_time(start_text) and not frdates.has_time(end_text):
        end = end.replace(hour=23, minute=59)
    return EventDates(name, start, end, fields.event_location)


def check_event(header, check):
    """The event block as a whole: a name and a start together, the end after the start,
    at most EVENT_MAX_DAYS long. Dates that do not read are reported by check_date."""
    entries = {spec.key: header.first(spec.key) for spec in EVENT_FIELDS}
    written = {key: e for key, e in entries.items() if e is not None and e.value.strip()}
    if not written:
        return []
    name, start = written.get("event"), written.get("event-start")
    problems = []
    if not name:
        anchor = next(iter(written.values()))
        problems.append(
            check.problem(
                anchor, "Event", "nom de l'événement absent", "indiquez le nom de l'événement dans le champ Event"
            )
        )
    if not start:
        anchor = name or next(iter(written.values()))
        problems.append(
            check.problem(
                anchor,
                "Event-Start",
                "date de début absente",
                "indiquez la date de début, par exemple Event-Start: 2024-10-08",
            )
        )
        return problems
    try:
        event = event_dates(Fields({key: parsed(key, e.value) for key, e in written.items()}), check.default_year)
    except ValueError:
        return problems  # reported by check_date
    end_entry = written.get("event-end") or start
    if event.end < event.start:
        problems.append(
            check.problem(
                end_entry, "Event-End", "la fin de l'événement précède son début", "vérifiez Event-Start et Event-End"
            )
        )
    elif (event.end - event.start).days > setting(check.settings, "EVENT_MAX_DAYS"):
        days = setting(check.settings, "EVENT_MAX_DAYS")
        problems.append(
            check.problem(
                end_entry,
                "Event-End",
                f"événement de plus de {days} jours",
                "vérifiez l'année de Event-Start et de Event-End",
            )
        )
    return problems
