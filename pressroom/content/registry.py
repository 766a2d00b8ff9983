"""The institution registry: one entry per institution, read from YAML.

The file is checked before any entry is used: a key written twice, an acronym,
full name or variant that would name two institutions, a field of the wrong
kind, an unknown field. Every problem is one French line
``fichier:ligne: SIGLE: champ: problème — comment corriger``, and all the
problems of the file are reported at once in a :class:`RegistryError`.
"""

import dataclasses
import difflib
import os
import re

import yaml
from babel import Locale
from pelican.utils import slugify

from pressroom.content import kinds
from pressroom.content.header import Entry
from pressroom.content.problems import Problem
from pressroom.content.text import INVISIBLE, fold

REPORTED = object()  # a value whose problem is already reported


@dataclasses.dataclass(frozen=True)
class RegistryField:
    """One key of an institution's entry: French label, kind (``pressroom.content.kinds``), and
    whether the entry must give it. A one-line text is parsed and checked through its kind, as an
    article's field is; a ``Structured`` value (a YAML list or mapping) is checked below."""

    key: str
    label: str
    kind: kinds.Kind = kinds.Text()
    required: bool = False
    multiline: bool = False  # the only text that may run over several lines
    under: str = ""  # the key of the list that holds it: « porte_parole »

    @property
    def name(self):
        """The name a kind's problem gives the field."""
        return f"{self.under}: {self.key}" if self.under else self.key


class Structured(kinds.Kind):
    """A list or a mapping of the YAML file, whose items the registry checks one by one."""


REGISTRY_FIELDS = (
    RegistryField("nom", "le nom complet de l'institution", required=True),
    RegistryField("pays", "pays"),
    RegistryField("site", "site web", kinds.Url()),
    RegistryField("description", "description", multiline=True),
    RegistryField("variantes", "autres noms et sigles", Structured()),
    RegistryField("contact_presse", "contact presse", Structured()),
    RegistryField("alertes", "listes d'alertes par e-mail", Structured()),
    RegistryField("diffusion", "comptes sur les réseaux", Structured()),
    RegistryField("logo", "logo"),
    RegistryField("porte_parole", "porte-parole", Structured()),
)
FIELDS = tuple(spec.key for spec in REGISTRY_FIELDS)
TEXT_FIELDS = tuple(spec for spec in REGISTRY_FIELDS if not isinstance(spec.kind, Structured))
# The keys of one spokesperson of « porte_parole »; « nom » is required.
SPOKESPERSON_FIELDS = {
    spec.key: spec
    for spec in (
        RegistryField("nom", "le prénom et le nom", required=True, under="porte_parole"),
        RegistryField("fonction", "fonction", under="porte_parole"),
        RegistryField("telephone", "téléphone", kinds.Phone(), under="porte_parole"),
        RegistryField("courriel", "adresse e-mail", kinds.Email(), under="porte_parole"),
        RegistryField("langues", "langues", Structured(), under="porte_parole"),
    )
}
SPOKESPERSON_KEYS = tuple(SPOKESPERSON_FIELDS)
SPOKESPERSON_TEXTS = tuple(spec for spec in SPOKESPERSON_FIELDS.values() if not isinstance(spec.kind, Structured))

# The e-mail lists of « alertes »: where `invoke alertes` posts (annonces, quotidien), and the
# mailto links of the site (inscription, inscription_quotidien, desinscription).
ALERT_KEYS = ("annonces", "quotidien", "inscription", "inscription_quotidien", "desinscription")
EXAMPLE = "CMSS:, INPS: …"
# every other text (name, address, e-mail, telephone) holds on one line
MULTILINE_FIELDS = tuple(spec.key for spec in REGISTRY_FIELDS if spec.multiline)
# The keys of one spokesperson of « porte_parole »; « nom » is required.
# The networks of « diffusion » where `invoke diffusion` posts each release: the account, checked by
# an allow-list pattern, and an example of what to write.
CHANNELS = {
    "telegram": (
        re.compile(r"@[a-z][a-z0-9_]{3,31}|-?[0-9]{5,20}", re.IGNORECASE),
        "le nom public du canal, « @cmss_officiel », ou son identifiant numérique, « -1001234567890 »",
    ),
    "mastodon": (
        re.compile(r"https://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?\.[a-z]{2,63}/@[a-z0-9_]{1,30}", re.IGNORECASE),
        "l'adresse du compte, « https://social.example.org/@cmss »",
    ),
    "bluesky": (
        re.compile(r"(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?", re.I),
        "l'identifiant du compte, sans @, « cmss.bsky.social » ou « cmss.example.org »",
    ),
}

normalize = fold  # names compared without case, accents or surrounding spaces: 'Cmss' is 'CMSS'


def language_names():
    """Language tag by French name or tag, folded (« Français », « bambara », « wo »), from Babel's CLDR data."""
    names = Locale("fr").languages
    found = {normalize(tag): tag for tag in names if "_" not in tag}
    found.update({normalize(name): tag for tag, name in names.items() if "_" not in tag})
    return found


def language_name(tag):
    """The French name of a language tag: « bm » → « bambara »."""
    return Locale("fr").languages.get(tag, tag)


def acronym_slug(acronym):
    return slugify(acronym, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")])


@dataclasses.dataclass(frozen=True)
class Institution:
    acronym: str
    name: str
    country: str = ""
    website: str = ""
    description: str = ""
    aliases: tuple = ()
    press_contact: tuple = ()
    alerts: tuple = ()  # (key, address) pairs of the « alertes » mapping: e-mail lists
    channels: tuple = ()  # (network, account) pairs of the « diffusion » mapping, in the order of CHANNELS
    logo: str = ""  # images/logos/x.png, relative to the content folder: the sharing image of its articles
    spokespeople: tuple = ()  # of Spokesperson, from « porte_parole », in the registry's order

    @property
    def slug(self):
        return acronym_slug(self.acronym)

    @property
    def public_channels(self):
        """(network, address, account as readers know it) of each channel a reader can open; a
        Telegram channel known only by its numeric id is private and has no public address."""
        links = []
        for network, account in self.channels:
            if network == "telegram" and account.startswith("@"):
                links.append(("Telegram", f"https://t.me/{account[1:]}", account))
            elif network == "mastodon":
                host, user = account.removeprefix("https://").split("/", 1)
                links.append(("Mastodon", account, f"{user}@{host}"))
            elif network == "bluesky":
                links.append(("Bluesky", f"https://bsky.app/profile/{account}", f"@{account}"))
        return links

    def __str__(self):
        return self.acronym


@dataclasses.dataclass(frozen=True)
class Spokesperson:
    """One entry of an institution's « porte_parole »: a person journalists may call."""

    name: str
    role: str = ""
    phone: str = ""  # E.164: +22320000000
    email: str = ""
    languages: tuple = ()  # language tags (BCP 47): fr, bm, wo

    @property
    def slug(self):
        return acronym_slug(self.name)

    @property
    def language_names(self):
        return [language_name(tag) for tag in self.languages]


class RegistryError(Exception):
    """The registry cannot be used; ``problems`` holds one French line per problem."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --- YAML ------------------------------------------------------------------


def line_of(node):
    return node.start_mark.line + 1


def repeated_keys(node):
    """(second key node, first key node) for every key written twice in one YAML mapping."""
    first_by_key = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        first = first_by_key.setdefault(key_node.value, key_node)
        if first is not key_node:
            yield key_node, first


class DuplicateKeyError(yaml.constructor.ConstructorError):
    pass


class RefusedYaml(yaml.YAMLError):
    """A YAML construct that the registry does not accept: French message and hint, at a line."""

    def __init__(self, message, hint, mark):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, mark.line + 1


MERGE_TAG = "tag:yaml.org,2002:merge"


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key written twice in one mapping, at any
    depth, instead of silently keeping the last value; and anchors, aliases and merge
    keys, whose expansion can grow without bound (a few lines making millions of values):
    the registry is written out in full."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise RefusedYaml(
                "ancre ou renvoi YAML (&nom, *nom) refusé",
                "recopiez la valeur là où elle sert : le registre s'écrit en toutes lettres",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                raise RefusedYaml(
                    "fusion YAML (<<:) refusée",
                    "écrivez chaque champ en toutes lettres sous son sigle",
                    key_node.start_mark,
                )
        return node

    def construct_mapping(self, node, deep=False):
        for second, first in repeated_keys(node):
            raise DuplicateKeyError(
                None,
                None,
                f"clé « {second.value} » écrite deux fois (déjà ligne {line_of(first)})",
                second.start_mark,
            )
        return super().construct_mapping(node, deep)


# --- Checking the file -----------------------------------------------------


class _Checker:
    """Walks the YAML tree of one registry file and collects its problems."""

    def __init__(self, path, loader):
        self.path, self.loader = path, loader
        self.problems = []
        self.owner_by_name = {}  # normalized acronym, name or variant -> (acronym, field, line, entry id)
        self.owner_by_slug = {}  # page address -> (acronym, line, entry id)
        self.known_languages = language_names()

    def report(self, node_or_line, field, message, hint):
        line = node_or_line if isinstance(node_or_line, int) else line_of(node_or_line)
        self.problems.append(Problem(self.path, field, message, hint, line))

    def value(self, node, field):
        """The Python value of a node, or REPORTED when YAML cannot build it."""
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:  # e.g. « 2024-13-45 », « !!int abc »
            mark = getattr(error, "problem_mark", None) or node.start_mark
            if isinstance(error, DuplicateKeyError):
                self.report(mark.line + 1, field, error.problem, "gardez une seule fois chaque clé")
            else:
                self.report(
                    mark.line + 1,
                    field,
                    "valeur illisible",
                    "écrivez la valeur entre guillemets, sans étiquette « !… » devant",
                )
            return REPORTED

    def text(self, acronym, field, node):
        """A text field: a string, or '' when absent, empty or of another kind (reported)."""
        value = None if node is None else self.value(node, f"{acronym}: {field}")
        if value is REPORTED or value is None or (isinstance(value, str) and not value.strip()):
            return ""
        if not isinstance(value, str):
            self.report(
                node,
                f"{acronym}: {field}",
                f"doit être un texte, pas « {_shown_value(node)} »",
                "écrivez un texte, entre guillemets s'il ressemble à un nombre, une date, yes/no ou une liste",
            )
            return ""
        if field not in MULTILINE_FIELDS and "\n" in value.strip():
            self.report(
                node,
                f"{acronym}: {field}",
                "retour à la ligne dans la valeur",
                "écrivez la valeur sur une seule ligne (une adresse, un nom, un numéro tiennent sur une ligne)",
            )
            return ""
        return value

    def registry(self, root):
        if root is None:
            self.report(1, "registre", "registre vide", f"ajoutez les institutions, une par sigle ({EXAMPLE})")
            return []
        if not isinstance(root, yaml.MappingNode):
            kind = "des lignes qui commencent par un tiret" if isinstance(root, yaml.SequenceNode) else "un texte seul"
            self.report(
                root,
                "registre",
                f"le registre doit être une liste de sigles suivis de deux-points ({EXAMPLE}), pas {kind}",
                "écrivez chaque sigle en début de ligne suivi de « : », puis ses champs en retrait "
                "(voir l'en-tête de content/institutions.yml)",
            )
            return []
        if not root.value:
            self.report(root, "registre", "registre vide", f"ajoutez les institutions, une par sigle ({EXAMPLE})")
            return []
        repeated = {id(second): first for second, first in repeated_keys(root)}
        institutions = []
        for key_node, entry_node in root.value:
            if id(key_node) in repeated:
                first = repeated[id(key_node)]
                self.report(
                    key_node,
                    f"{key_node.value}: sigle",
                    f"sigle déjà présent ligne {line_of(first)}",
                    "une institution ne figure qu'une fois : fusionnez les deux entrées ou corrigez le sigle",
                )
                continue
            institution = self.entry(key_node, entry_node)
            if institution:
                institutions.append(institution)
        return institutions

    def acronym(self, key_node):
        if not isinstance(key_node, yaml.ScalarNode) or not key_node.value.strip():
            self.report(
                key_node, "sigle", "sigle absent ou illisible", f"écrivez le sigle seul suivi de « : » ({EXAMPLE})"
            )
            return None
        acronym = key_node.value.strip()
        if not acronym_slug(acronym):
            self.report(
                key_node,
                f"{acronym}: sigle",
                "le sigle ne contient ni lettre ni chiffre",
                "écrivez le sigle de l'institution (lettres, chiffres, tirets)",
            )
            return None
        return acronym

    def entry(self, key_node, entry_node):
        acronym = self.acronym(key_node)
        if acronym is None:
            return None
        if _is_null(entry_node):
            fields = {}
        elif isinstance(entry_node, yaml.MappingNode):
            fields = self.fields(acronym, entry_node)
        else:
            self.report(
                entry_node,
                acronym,
                "l'entrée doit être une liste de champs (nom, pays, description…)",
                "écrivez chaque champ sur sa ligne, en retrait sous le sigle",
            )
            return None
        variants = self.variants(acronym, fields.get("variantes"))
        texts = self.texts(acronym, TEXT_FIELDS, fields, line_of(key_node))
        institution = Institution(
            acronym=acronym,
            name=texts["nom"],
            country=texts["pays"],
            website=texts["site"],
            description=texts["description"],
            aliases=tuple(variant for variant, _ in variants),
            press_contact=self.mapping(acronym, "contact_presse", fields.get("contact_presse")),
            alerts=self.mapping(acronym, "alertes", fields.get("alertes")),
            channels=self.channels(acronym, fields.get("diffusion")),
            logo=texts["logo"],
            spokespeople=self.spokespeople(acronym, fields.get("porte_parole")),
        )
        named = [(acronym, "sigle", line_of(key_node))]
        if institution.name:
            named.append((institution.name, "nom", line_of(fields["nom"])))
        self.claim_names(key_node, acronym, named + [(variant, "variantes", line) for variant, line in variants])
        self.claim_address(institution, key_node)
        return institution

    def fields(self, where, node, known=FIELDS):
        """The value nodes of the ``known`` fields of a mapping by name; reports unknown and repeated ones."""
        fields = {}
        for name, key_node, value_node in self.unique_items(node, where):
            if name not in known:
                self.report(key_node, f"{where}: {name}", "champ inconnu", _field_hint(name, known))
            else:
                fields[name] = value_node
        return fields

    def texts(self, acronym, specs, nodes, entry_line):
        """The value of each text field of ``specs``, by key, from the value nodes written."""
        return {spec.key: self.typed(acronym, spec, nodes.get(spec.key), entry_line) for spec in specs}

    def typed(self, acronym, spec, node, entry_line):
        """A text field parsed through its kind, or the kind's empty value; the kind's problems reported."""
        text = self.text(acronym, spec.key, node)
        if not text.strip():
            if spec.required and _is_blank(node):
                hint = f"ajoutez « {spec.key}: » puis {spec.label}"
                self.report(node or entry_line, f"{acronym}: {spec.name}", "champ obligatoire absent ou vide", hint)
            return spec.kind.empty()
        found = spec.kind.check(Entry(spec.key, [text.strip()], line_of(node)), spec, _EntryCheck(self.path, acronym))
        self.problems.extend(found)
        return spec.kind.empty() if found else spec.kind.parse(text)

    def variants(self, acronym, node):
        """(variant, line) for each variant of a well-formed list."""
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.report(
                node,
                f"{acronym}: variantes",
                f"doit être une liste, pas « {_shown_value(node)} »",
                "écrivez les variantes entre crochets, séparées par des virgules : variantes: [Autre nom, Autre sigle]",
            )
            return []
        variants = []
        for item in node.value:
            value = self.value(item, f"{acronym}: variantes") if isinstance(item, yaml.ScalarNode) else None
            if value is REPORTED:
                continue
            if not isinstance(value, str) or not value.strip():
                self.report(
                    item,
                    f"{acronym}: variantes",
                    f"variante vide ou qui n'est pas un texte : « {_shown_value(item)} »",
                    "écrivez chaque variante comme un texte, entre guillemets si besoin, ou retirez-la",
                )
                continue
            variants.append((value.strip(), line_of(item)))
        return variants

    MAPPING_KEYS = {
        "contact_presse": "nom, courriel, telephone",
        "alertes": "annonces, quotidien, inscription…",
        "diffusion": ", ".join(CHANNELS),
    }

    def mapping(self, acronym, field, node):
        """(key, text) pairs of a mapping field: ``contact_presse``, ``alertes``."""
        if node is None or _is_null(node):
            return ()
        if not isinstance(node, yaml.MappingNode):
            self.report(
                node,
                f"{acronym}: {field}",
                f"doit être une liste de champs ({self.MAPPING_KEYS[field]})",
                f"écrivez chaque champ sur sa ligne, en retrait sous « {field}: »",
            )
            return ()
        pairs = []
        for name, key_node, value_node in self.unique_items(node, f"{acronym}: {field}"):
            value = self.text(acronym, f"{field}: {name}", value_node)
            if value and not (field == "alertes" and self.bad_list(acronym, name, value, key_node)):
                pairs.append((name, value))
        return tuple(pairs)

    def spokespeople(self, acronym, node):
        """The entries of « porte_parole »: a list of mappings, each value checked."""
        if node is None or _is_null(node):
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.report(
                node,
                f"{acronym}: porte_parole",
                "doit être une liste de personnes, chacune sur une ligne qui commence par « - nom: »",
                "écrivez « porte_parole: » puis, en retrait, « - nom: … » et ses autres champs",
            )
            return ()
        found, names = [], {}
        for item in node.value:
            person = self.spokesperson(acronym, item)
            if person is None:
                continue
            first = names.setdefault(normalize(person.name), line_of(item))
            if first != line_of(item):
                self.report(
                    item,
                    f"{acronym}: porte_parole: nom",
                    f"« {person.name} » déjà listé ligne {first}",
                    "gardez une seule entrée par personne",
                )
                continue
            found.append(person)
        return tuple(found)

    def spokesperson(self, acronym, node):
        where = f"{acronym}: porte_parole"
        if not isinstance(node, yaml.MappingNode):
            self.report(
                node,
                where,
                f"entrée illisible « {_shown_value(node)} »",
                "écrivez chaque personne comme « - nom: … » suivi de fonction, telephone, courriel, langues",
            )
            return None
        given = self.fields(where, node, SPOKESPERSON_KEYS)
        languages = self.languages(acronym, given["langues"]) if "langues" in given else ()
        values = self.texts(acronym, SPOKESPERSON_TEXTS, given, line_of(node))
        if not values["nom"]:
            return None
        return Spokesperson(
            name=values["nom"],
            role=values["fonction"],
            phone=values["telephone"],
            email=values["courriel"],
            languages=languages,
        )

    def languages(self, acronym, node):
        """« langues »: a list [français, bambara] or a text « français, bambara »."""
        where = f"{acronym}: porte_parole: langues"
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        found = []
        for item in items:
            value = self.value(item, where) if isinstance(item, yaml.ScalarNode) else None
            if value is REPORTED:
                continue
            if not isinstance(value, str) or not value.strip():
                self.report(
                    item,
                    where,
                    f"langue illisible « {_shown_value(item)} »",
                    "écrivez les langues entre crochets : [français, bambara]",
                )
                continue
            for part in kinds.split_list(value):  # the rule of a kind of names: separated by commas
                tag = self.known_languages.get(normalize(part))
                if tag is None:
                    self.report(
                        item,
                        where,
                        f"langue inconnue « {part} »",
                        "écrivez le nom français de la langue (français, bambara, wolof…)",
                    )
                else:
                    found.append(tag)
        return tuple(found)

    def channels(self, acronym, node):
        """(network, account) pairs of « diffusion », each account checked against its network's pattern."""
        if node is None or _is_null(node):
            return ()
        if not isinstance(node, yaml.MappingNode):
            return self.mapping(acronym, "diffusion", node)  # reports the wrong kind
        accounts = {}
        for name, key_node, value_node in self.unique_items(node, f"{acronym}: diffusion"):
            where = f"{acronym}: diffusion: {name}"
            if name not in CHANNELS:
                self.report(key_node, where, "réseau inconnu", f"réseaux possibles : {', '.join(CHANNELS)}")
                continue
            value = self.value(value_node, where)
            if value is REPORTED or value is None:
                continue
            account = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
            pattern, example = CHANNELS[name]
            if account is None or not pattern.fullmatch(account):
                self.report(value_node, where, f"compte « {_shown_value(value_node)} » refusé", f"écrivez {example}")
                continue
            accounts[name] = account
        return tuple((network, accounts[network]) for network in CHANNELS if network in accounts)

    def unique_items(self, node, where):
        """(name, key node, value node) of a mapping, each name once; a name written twice is reported."""
        repeated = {id(second): first for second, first in repeated_keys(node)}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else _shown_value(key_node)
            if id(key_node) in repeated:
                self.report(
                    key_node,
                    f"{where}: {name}",
                    f"champ écrit deux fois (déjà ligne {line_of(repeated[id(key_node)])})",
                    f"gardez une seule ligne « {name}: »",
                )
                continue
            yield name, key_node, value_node

    def bad_list(self, acronym, key, value, key_node):
        """An unknown key or a malformed address under « alertes »: a typo would silently announce nothing."""
        if key not in ALERT_KEYS:
            hint = f"clés possibles : {', '.join(ALERT_KEYS)}"
            self.report(key_node, "alertes", f"{acronym} : clé inconnue « {key} »", hint)
            return True
        if not all("@" in address and " " not in address.strip() for address in value.split(",")):
            self.report(
                key_node,
                "alertes",
                f"{acronym} : {key} : adresse e-mail invalide « {value} »",
                "écrivez une adresse complète, par exemple inps-communiques@listes.example.org",
            )
            return True
        return False

    def claim_names(self, key_node, acronym, named):
        """Each acronym, full name and variant (text, field, line) names one entry only."""
        for text, field, line in named:
            owner = self.owner_by_name.setdefault(normalize(text), (acronym, field, line, id(key_node)))
            if owner[3] != id(key_node):
                self.report(
                    line,
                    f"{acronym}: {field}",
                    f"« {text} » désigne déjà {owner[0]} ({owner[1]}, ligne {owner[2]})",
                    "un sigle, un nom ou une variante ne désigne qu'une institution : retirez-le ou corrigez-le",
                )

    def claim_address(self, institution, key_node):
        """Each institution page has its own address (two acronyms may differ only by punctuation)."""
        owner = self.owner_by_slug.setdefault(institution.slug, (institution.acronym, line_of(key_node), id(key_node)))
        if owner[2] != id(key_node) and normalize(owner[0]) != normalize(institution.acronym):  # else said above
            self.report(
                key_node,
                f"{institution.acronym}: sigle",
                f"même adresse de page (institutions/{institution.slug}/) que {owner[0]} (ligne {owner[1]})",
                "écrivez un sigle qui diffère par ses lettres ou ses chiffres",
            )


@dataclasses.dataclass(frozen=True)
class _EntryCheck:
    """What a kind's check needs to report a problem of one institution's field."""

    path: str
    acronym: str

    def problem(self, entry_or_line, field_name, message, hint=""):
        line = entry_or_line if isinstance(entry_or_line, int) else entry_or_line.line
        return Problem(self.path, f"{self.acronym}: {field_name}", message, hint, line)


_SYNTAX_HINT = (
    "vérifiez cette ligne : un champ par ligne « champ: valeur », retrait de deux espaces sous le sigle, "
    "guillemets autour d'une valeur qui contient « : » ou commence par un signe"
)


def _is_null(node):
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _is_blank(node):
    """Nothing written: no value, a null or an empty text."""
    return node is None or _is_null(node) or (isinstance(node, yaml.ScalarNode) and not node.value.strip())


def _shown_value(node):
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return "liste"
    return "liste de champs"


def _field_hint(name, known):
    close = difflib.get_close_matches(str(name).lower(), known, n=1, cutoff=0.6)
    if close:
        return f"vouliez-vous dire « {close[0]} » ? Champs possibles : {', '.join(known)}"
    return f"retirez-le ; champs possibles : {', '.join(known)}"


def _shown_path(path):
    """The path as the reader knows it: relative to the current folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def _read_text(path, shown):
    try:
        with open(path, "rb") as source:
            data = source.read()
    except OSError as error:
        raise RegistryError(
            [
                Problem(
                    shown,
                    "fichier",
                    f"registre des institutions illisible ({error.strerror})",
                    "vérifiez que content/institutions.yml existe et peut être lu",
                )
            ]
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RegistryError(
            [Problem(shown, "fichier", "caractère illisible : le fichier n'est pas en UTF-8", _UTF8_HINT, line)]
        ) from None


_UTF8_HINT = "enregistrez le fichier en UTF-8 et retapez les lettres accentuées de cette ligne"


def _syntax_problem(shown, error):
    """One line for a YAML syntax error, at the line where the author must look."""
    problem = str(getattr(error, "problem", "") or "")
    mark = getattr(error, "problem_mark", None)
    if "end of stream" in problem or mark is None:  # an unclosed quote or bracket: where it was opened
        mark = getattr(error, "context_mark", None) or mark
    line = mark.line + 1 if mark else 0
    if "'\\t'" in problem:
        return Problem(shown, "syntaxe", "tabulation en retrait", "remplacez-la par des espaces", line)
    if "single document" in str(error):
        return Problem(shown, "syntaxe", "second document YAML (« --- »)", "retirez la ligne « --- »", line)
    where = f" (colonne {mark.column + 1})" if mark else ""
    opened = getattr(error, "context_mark", None)
    if mark and opened and opened.line != mark.line:
        where = f" (colonne {mark.column + 1}, dans ce qui commence ligne {opened.line + 1})"
    return Problem(shown, "syntaxe", f"syntaxe YAML invalide{where}", _SYNTAX_HINT, line)


def check(path):
    """The institutions of the registry at ``path``; raises RegistryError with every problem."""
    shown = _shown_path(os.fspath(path))
    text = _read_text(path, shown)
    invisible = INVISIBLE.search(text)
    if invisible:
        line = text.count("\n", 0, invisible.start()) + 1
        raise RegistryError(
            [
                Problem(
                    shown,
                    "fichier",
                    f"caractère invisible de mise en forme (U+{ord(invisible.group(0)):04X})",
                    "retirez ce caractère invisible (copié d'un autre logiciel) ou retapez la ligne",
                    line,
                )
            ]
        )
    try:
        loader = UniqueKeyLoader(text)
    except yaml.reader.ReaderError as error:  # a control character: YAML refuses the text before parsing it
        line = text[: error.position].count("\n") + 1
        hint = "retirez ce caractère invisible (copié d'un autre logiciel) ou retapez la ligne"
        raise RegistryError(
            [Problem(shown, "fichier", f"caractère interdit (code {error.character})", hint, line)]
        ) from None
    try:
        root = loader.get_single_node()
        checker = _Checker(shown, loader)
        institutions = checker.registry(root)
    except RefusedYaml as error:
        raise RegistryError([Problem(shown, "syntaxe", error.message, error.hint, error.line)]) from None
    except yaml.YAMLError as error:
        raise RegistryError([_syntax_problem(shown, error)]) from None
    finally:
        loader.dispose()
    if checker.problems:
        raise RegistryError(sorted(checker.problems, key=lambda p: p.line))
    return institutions


class Registry:
    """Institutions by acronym, looked up without case or accents."""

    def __init__(self, institutions):
        self.institutions = sorted(institutions, key=lambda i: normalize(i.acronym))
        self._by_key = {}
        for institution in self.institutions:
            for key in (institution.acronym, institution.name, *institution.aliases):
                self._by_key.setdefault(normalize(key), institution)

    @classmethod
    def load(cls, path):
        """The registry of the YAML file at ``path``; RegistryError lists every problem of the file."""
        return cls(check(path))

    def find(self, name):
        """The institution named by an acronym, full name or variant, or None."""
        return self._by_key.get(normalize(name))

    def __iter__(self):
        return iter(self.institutions)

    def spokesperson(self, institution_names, name):
        """(institution, spokesperson) for the entry called ``name`` among the spokespeople of the
        institutions named, or None."""
        wanted = normalize(name)
        for institution in filter(None, (self.find(each) for each in institution_names)):
            for person in institution.spokespeople:
                if normalize(person.name) == wanted:
                    return institution, person
        return None

    def __len__(self):
        return len(self.institutions)
