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
import re

from pressroom.content import frdates
from pressroom.content.kinds import (
    TAG_MAX_LENGTH,
    Addresses,
    Attachments,
    Choice,
    Date,
    DatedLines,
    EventDate,
    Institutions,
    Kind,
    Lang,
    Names,
    Number,
    Photo,
    Slug,
    Sms,
    Spokesperson,
    Summary,
    Text,
    Token,
    Url,
    Withdrawal,
    read_date,
    split_list,
)
from pressroom.content.problems import Problem
from pressroom.content.text import INVISIBLE, fold
from pressroom.settings import registry_shown, setting

ALL = ("published", "draft", "hidden")
PUBLISHED = ("published", "hidden")
STATUSES = ALL
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


def status_of(header):
    entry = header.first("status")
    return entry.value.strip().lower() if entry and entry.value.strip() else "published"


# --- Names ---------------------------------------------------------------------


def suggestion(name):
    """The schema field nearest to a misspelt name (« Titre » → Title), or None."""
    folded = fold(name)
    candidates = {fold(f.name): f for f in FIELDS}
    candidates.update({fold(alias): f for f in FIELDS for alias in f.aliases})
    candidates.update({fold(f.label): f for f in FIELDS})
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
