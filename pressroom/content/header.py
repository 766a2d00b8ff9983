"""The header of a Markdown article, read as Python-Markdown's ``meta`` extension
reads it for Pelican (same patterns, same steps), but keeping what the checks
need and the extension forgets: the line of each field, the name as written,
and a field written twice.

``Key: value`` lines up to the first blank line; an indented line continues
the field above it. Nothing here converts the body, so reading every header of
a large archive stays cheap.
"""

import dataclasses
import re

from markdown.extensions import meta
from markdown.util import ETX, STX


@dataclasses.dataclass
class Entry:
    """One field of the header: ``name`` as written, its lines, where it starts."""

    name: str
    lines: list
    line: int

    @property
    def key(self):
        return self.name.lower().strip()

    @property
    def value(self):
        return " ".join(self.lines) if len(self.lines) > 1 else self.lines[0]


@dataclasses.dataclass
class Header:
    entries: list
    empty_file: bool = False

    def first(self, key):
        return next((e for e in self.entries if e.key == key), None)

    def metadata(self):
        """Field -> value as the meta extension gives it to Pelican (first occurrence wins here:
        a second one is refused by the schema)."""
        found = {}
        for entry in self.entries:
            found.setdefault(entry.key, entry.lines[0] if len(entry.lines) == 1 else list(entry.lines))
        return found


def normalized_lines(text, tab_length=4):
    """The lines the ``meta`` extension receives: Python-Markdown's NormalizeWhitespace step."""
    text = text.replace(STX, "").replace(ETX, "")
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
    text = re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(tab_length))
    return text.split("\n")


def parse_header(text):
    """The header of an article's text (a BOM already removed)."""
    if not text.strip():
        return Header([], empty_file=True)
    lines = normalized_lines(text)
    number = 1
    if meta.BEGIN_RE.match(lines[0]):
        lines, number = lines[1:], 2
    entries = []
    for offset, line in enumerate(lines):
        if line.strip() == "" or meta.END_RE.match(line):
            break
        field = meta.META_RE.match(line)
        if field:
            entries.append(Entry(field.group("key").strip(), [field.group("value").strip()], number + offset))
            continue
        more = meta.META_MORE_RE.match(line)
        if not (more and entries):
            break
        entries[-1].lines.append(more.group("value").strip())
    return Header(entries)


class UnreadableFile(ValueError):
    """A file that is not UTF-8 text: the message names the line."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


def read_text(path):
    """The text of a source file; UnreadableFile names the line of the first invalid byte."""
    with open(path, "rb") as source:
        data = source.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableFile(line, "caractère illisible : le fichier n'est pas enregistré en UTF-8") from None


def read_header(path):
    return parse_header(read_text(path))


def markdown_header(path):
    """Field -> value of a Markdown file, as Pelican's reader would get them."""
    return read_header(path).metadata()
