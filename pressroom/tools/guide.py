"""The documentation's field tables, made from the schema (``invoke guide``).

Each table sits in a document between two marker comments: ``<!-- champs:NAME -->`` and
``<!-- fin champs:NAME -->``. ``write`` puts the schema's current table between them;
``stale`` names the documents where it differs (a test keeps them current). Nothing else
of the documents is touched.
"""

import pathlib
import re
import sys

from pressroom.content import schema
from pressroom.settings import ROOT

GUIDE = "docs/guide-redaction.md"
ARCHITECTURE = "docs/architecture.md"
GUIDE_HEADER = ("| champ | obligatoire | ce qu'il faut écrire |", "| --- | --- | --- |")
KINDS_HEADER = (
    "| field | kind | several values | typeset | templates reading `article.fields` |",
    "| --- | --- | --- | --- | --- |",
)


class GuideError(ValueError):
    """A document lost the marks of one of its tables: the French message names them."""


def required_text(spec):
    return "oui" if spec.required == schema.ALL else "pour publier" if spec.required else "non"


def guide_table(group):
    """The officers' table of the fields of ``group`` (« article » or « event »), in French."""
    rows = [f"| `{s.name}` | {required_text(s)} | {s.help} |" for s in schema.FIELDS if s.group == group]
    return "\n".join(GUIDE_HEADER + tuple(rows))


def several(spec):
    return "one per line" if spec.multiline else "separated by commas" if spec.multiple else ""


def kinds_table():
    """The contributors' table: each field, its kind and what the kind says of it."""
    rows = [
        f"| `{s.name}` | `{type(s.kind).__name__}` | {several(s)} | {'yes' if s.kind.typeset else ''} | "
        f"{', '.join(f'`{t}`' for t in s.kind.shown_in)} |"
        for s in schema.FIELDS
    ]
    return "\n".join(KINDS_HEADER + tuple(rows))


TABLES = {
    GUIDE: {"article": lambda: guide_table("article"), "evenement": lambda: guide_table("event")},
    ARCHITECTURE: {"types": kinds_table},
}


def region(name):
    return re.compile(rf"(<!-- champs:{name} -->\n)(?:.*?\n)?(<!-- fin champs:{name} -->)", re.S)


def current_text(text, tables):
    """``text`` with the region of each of ``tables`` holding the schema's table."""
    for name, table in tables.items():
        found = region(name).search(text)
        if not found:
            raise GuideError(f"marques « <!-- champs:{name} --> » et « <!-- fin champs:{name} --> » absentes")
        text = text[: found.end(1)] + table() + "\n" + text[found.start(2) :]
    return text


def stale(root=ROOT):
    """The documents (relative paths) whose tables are not the schema's."""
    found = []
    for relative, tables in TABLES.items():
        text = (pathlib.Path(root) / relative).read_text(encoding="utf-8")
        try:
            if current_text(text, tables) != text:
                found.append(relative)
        except GuideError as error:
            raise GuideError(f"{relative} : {error}") from None
    return found


def write(root=ROOT):
    """Put the schema's tables in the documents; the documents changed."""
    changed = []
    for relative in stale(root):
        path = pathlib.Path(root) / relative
        path.write_text(current_text(path.read_text(encoding="utf-8"), TABLES[relative]), encoding="utf-8")
        changed.append(relative)
    return changed


def run(root=ROOT, out=sys.stdout):
    """`invoke guide`: 0 once the tables are the schema's, 1 when a document lost its marks."""
    try:
        changed = write(root)
    except GuideError as error:
        print(f"Tableaux des champs non écrits : {error}", file=out)
        return 1
    print(
        "Tableaux des champs mis à jour : " + ", ".join(changed) if changed else "Tableaux des champs à jour.", file=out
    )
    return 0
