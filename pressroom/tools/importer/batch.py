"""Importing many raw articles at once: one report per file, a progress bar, one summary.

A file that cannot be read, or that fails for any reason, is reported in French and the
batch goes on; the exit status says whether every file was read."""

import dataclasses
import glob
import os
import pathlib
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pressroom.content.registry import Registry
from pressroom.settings import DEFAULTS
from pressroom.tools.importer.article import EmptySource, ExistingArticles, import_file
from pressroom.tools.importer.sources import SourceTooLarge

SOURCE_SUFFIXES = (".txt", ".html", ".htm")
READ_ERRORS = {FileNotFoundError: "introuvable", PermissionError: "accès refusé", IsADirectoryError: "est un dossier"}
PROGRESS_MIN_FILES = 10  # below this, a bar would only flicker


@dataclasses.dataclass
class Summary:
    read: int = 0
    written: int = 0
    duplicates: int = 0
    failures: int = 0
    facts_to_check: int = 0
    renamed: int = 0

    def line(self, dry_run):
        written = "à écrire" if dry_run else "écrits"
        return (
            f"Bilan : {self.read} fichier(s) lu(s) — {self.written} {written}, "
            f"{self.duplicates} doublon(s) non écrit(s), {self.failures} en échec, "
            f"{self.facts_to_check} fait(s) à vérifier"
            + (f", {self.renamed} renommé(s) (nom déjà pris)" if self.renamed else "")
        )


def _failure(path, error):
    if isinstance(error, (SourceTooLarge, EmptySource)):
        return f"{path}: fichier: {error}"
    if isinstance(error, OSError):
        return f"{path}: fichier: {READ_ERRORS.get(type(error), 'illisible')} — vérifiez le chemin"
    return f"{path}: fichier: illisible ({type(error).__name__}) — vérifiez qu'il s'agit d'un texte ou d'une page HTML"


def _import_one(path, content_dir, registry, existing, dry_run, out, summary):
    try:
        article = import_file(path, registry)
    except Exception as error:  # one bad file must not stop a batch of hundreds, nor show a traceback
        print(_failure(path, error), file=out)
        summary.failures += 1
        return
    duplicate = existing.duplicate_of(article)
    if duplicate:
        print(f"{path} : déjà importé ({os.path.relpath(duplicate, content_dir.parent)}), non écrit", file=out)
        summary.duplicates += 1
        return
    relative, slug = existing.free_path(content_dir, article)
    if slug != article.natural_slug:
        taken = os.path.relpath(content_dir / article.relative_path(article.natural_slug), content_dir.parent)
        article.free_slug = slug
        article.notes.insert(0, f"nom déjà pris par un autre article ({taken}) : écrit sous {relative.name}")
        summary.renamed += 1
    target = content_dir / relative
    shown = os.path.relpath(target, content_dir.parent)
    summary.written += 1
    summary.facts_to_check += len(article.facts_to_check())
    if dry_run:
        print(f"{path} → {shown} (essai : rien n'est écrit)\n{article.report()}\n", file=out)
        print(article.markdown(), file=out)
        existing.add_article(target, article)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(article.markdown(), encoding="utf-8")
    existing.add_article(target, article)
    print(f"{path} → {shown}\n{article.report()}\n", file=out)


def _progress(paths, show):
    """A rich progress bar on stderr (the reports go to stdout), or a plain iteration."""
    if not show:
        return None
    return Progress(
        TextColumn("Import"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )


def import_paths(paths, content_dir, registry=None, dry_run=False, out=None, progress=None):
    """Import each raw article into content_dir/articles/YYYY/ (or only show it with dry_run).
    Prints a French report per file and a summary; returns 0, or 2 when a file failed.
    ``progress``: show a bar (default: for a batch of PROGRESS_MIN_FILES files or more on a terminal)."""
    out, content_dir = out or sys.stdout, pathlib.Path(content_dir)
    registry = registry or Registry.load(content_dir / DEFAULTS["INSTITUTIONS_REGISTRY"])
    existing, summary = ExistingArticles(content_dir), Summary()
    if progress is None:
        progress = len(paths) >= PROGRESS_MIN_FILES and sys.stderr.isatty()
    bar = _progress(paths, progress)
    if bar is None:
        for path in paths:
            summary.read += 1
            _import_one(path, content_dir, registry, existing, dry_run, out, summary)
    else:
        with bar:
            task = bar.add_task("import", total=len(paths))
            for path in paths:
                summary.read += 1
                _import_one(path, content_dir, registry, existing, dry_run, out, summary)
                bar.advance(task)
    print(summary.line(dry_run), file=out)
    return 2 if summary.failures else 0


def expand_paths(arguments):
    """Files named on the command line: a file, every .txt/.html of a folder, or a pattern."""
    paths = []
    for argument in arguments:
        path = pathlib.Path(argument)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
        elif glob.has_magic(argument):
            paths += sorted(pathlib.Path(p) for p in glob.glob(argument)) or [path]
        else:
            paths.append(path)
    return paths
