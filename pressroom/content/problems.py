"""Content problems, reported to communication officers in French.

Every problem names the file, the line, the field, what is wrong and how to
fix it: ``fichier:ligne: champ: problème — comment corriger``.
"""

import dataclasses
import os


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    field: str
    message: str
    hint: str = ""
    line: int = 0

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class ContentError(Exception):
    """Raised when content cannot be published; carries every problem found."""

    exitcode = 2

    def __init__(self, problems):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))


def field_line(path, field):
    """Line number of ``Field:`` in a source file, or the first line."""
    wanted = field.lower() + ":"
    try:
        with open(path, encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                if line.lower().startswith(wanted):
                    return number
    except OSError:
        pass
    return 1


def problem_at(path, field, message, hint="", root=None):
    """A Problem located at the line where ``field`` is written in ``path``."""
    shown = os.path.relpath(path, root) if root else path
    return Problem(shown, field, message, hint, field_line(path, field))
