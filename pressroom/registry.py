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
from urllib.parse import urlsplit

import yaml
from pelican.utils import slugify

from .problems import Problem
from .text import fold

REPORTED = object()  # a value whose problem is already reported
FIELDS = ("nom", "pays", "site", "description", "variantes", "contact_presse", "alertes", "diffusion", "logo")
# The e-mail lists of « alertes »: where `invoke alertes` posts (annonces, quotidien), and the
# mailto links of the site (inscription, inscription_quotidien, desinscription).
ALERT_KEYS = ("annonces", "quotidien", "inscription", "inscription_quotidien", "desinscription")
EXAMPLE = "CMSS:, INPS: …"
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


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key written twice in one mapping, at any
    depth, instead of silently keeping the last value."""

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

    def text(self, acronym, field, node, missing_at=None):
        """A text field: a string, or '' when absent; reports anything else, and its
        absence when ``missing_at`` (the line of the entry) is given."""
        value = None if node is None else self.value(node, f"{acronym}: {field}")
        if value is REPORTED:
            return ""
        if value is None or (isinstance(value, str) and not value.strip()):
            if missing_at:
                self.report(
                    node or missing_at,
                    f"{acronym}: {field}",
                    "champ obligatoire absent ou vide",
                    f"ajoutez « {field}: » suivi du nom complet de l'institution",
                )
            return ""
        if not isinstance(value, str):
            self.report(
                node,
                f"{acronym}: {field}",
                f"doit être un texte, pas « {_shown_value(node)} »",
                "écrivez un texte, entre guillemets s'il ressemble à un nombre, une date, yes/no ou une liste",
            )
            return ""
        return value.strip() if missing_at else value

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
        institution = Institution(
            acronym=acronym,
            name=self.text(acronym, "nom", fields.get("nom"), missing_at=line_of(key_node)),
            country=self.text(acronym, "pays", fields.get("pays")),
            website=self.website(acronym, fields.get("site")),
            description=self.text(acronym, "description", fields.get("description")),
            aliases=tuple(variant for variant, _ in variants),
            press_contact=self.mapping(acronym, "contact_presse", fields.get("contact_presse")),
            alerts=self.mapping(acronym, "alertes", fields.get("alertes")),
            channels=self.channels(acronym, fields.get("diffusion")),
            logo=self.text(acronym, "logo", fields.get("logo")).strip(),
        )
        named = [(acronym, "sigle", line_of(key_node))]
        if institution.name:
            named.append((institution.name, "nom", line_of(fields["nom"])))
        self.claim_names(key_node, acronym, named + [(variant, "variantes", line) for variant, line in variants])
        self.claim_address(institution, key_node)
        return institution

    def fields(self, acronym, entry_node):
        """The entry's known fields by name; reports unknown and repeated ones."""
        fields = {}
        for name, key_node, value_node in self.unique_items(entry_node, acronym):
            if name not in FIELDS:
                self.report(key_node, f"{acronym}: {name}", "champ inconnu", _field_hint(name))
            else:
                fields[name] = value_node
        return fields

    def website(self, acronym, node):
        address = self.text(acronym, "site", node).strip()
        if not address:
            return ""
        parts = urlsplit(address)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in address):
            self.report(
                node,
                f"{acronym}: site",
                f"adresse « {address} » refusée",
                'écrivez une adresse complète commençant par https:// ou http://, ou "" si le site est inconnu',
            )
            return ""
        return address

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


_SYNTAX_HINT = (
    "vérifiez cette ligne : un champ par ligne « champ: valeur », retrait de deux espaces sous le sigle, "
    "guillemets autour d'une valeur qui contient « : » ou commence par un signe"
)


def _is_null(node):
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _shown_value(node):
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return "liste"
    return "liste de champs"


def _field_hint(name):
    close = difflib.get_close_matches(str(name).lower(), FIELDS, n=1, cutoff=0.6)
    known = ", ".join(FIELDS)
    if close:
        return f"vouliez-vous dire « {close[0]} » ? Champs possibles : {known}"
    return f"retirez-le ; champs possibles : {known}"


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

    def __len__(self):
        return len(self.institutions)
