"""The one way a command tells an officer why it stopped: French lines, each content problem on its own
(``fichier:ligne: champ: problème — comment corriger``, sorted, without repeats), an exit status, and
never a traceback (an unforeseen error's goes to a log file for the technical team).

Every command says it the same way, only its first words differ (« La construction a échoué »,
« Vérification impossible », « Import impossible »): ``failure(error, out, headline)``."""

import os
import traceback

from pelican.writers import FileOverwriteFailedError

from pressroom.build import treelock
from pressroom.build.parts import PartError
from pressroom.content.problems import ContentError
from pressroom.content.registry import RegistryError
from pressroom.settings import ROOT, SettingsError

REFUSED = 2  # the content, the registry or the settings: the officer or the operator corrects them
UNFORESEEN = 3  # a bug: the technical team reads the log
TREE_BUSY = 4  # another command holds the tree


def problems(found, out, headline, where="dans le contenu"):
    """« headline : N problème(s) where. » and one line per problem, sorted; the exit status."""
    found = ContentError(found).problems
    print(f"{headline} : {len(found)} problème(s) {where}.", file=out)
    for problem in found:
        print(problem, file=out)
    return ContentError.exitcode


def failure(error, out, headline, settings=None):
    """Print the French report of ``error`` under ``headline``; the exit status to return."""
    if isinstance(error, ContentError):
        return problems(error.problems, out, headline)
    if isinstance(error, RegistryError):
        print(f"{headline} : {len(error.problems)} problème(s) dans le registre des institutions.", file=out)
        print(error, file=out)
        return REFUSED
    if isinstance(error, SettingsError):
        print(f"{headline}. {error}", file=out)
        return REFUSED
    if isinstance(error, PartError):
        print(f"{headline} : {error}", file=out)
        return REFUSED
    if isinstance(error, treelock.TreeBusy):
        print(f"{headline} : {error}", file=out)
        return TREE_BUSY
    if isinstance(error, FileOverwriteFailedError):  # two outputs at one address, not caught by the content gate
        print(
            f"{headline} : deux pages s'écriraient dans le même fichier, rien n'a été écrasé "
            f"— changez le Slug de l'une d'elles ({error})",
            file=out,
        )
        return REFUSED
    return unforeseen(error, out, headline, settings)


def unforeseen(error, out, headline, settings=None):
    """A French message for an error no check foresaw: the file when known, never a traceback."""
    source = source_in_traceback(error)
    where = f" en traitant {os.path.relpath(source, (settings or {}).get('PATH') or ROOT)}" if source else ""
    log = keep_traceback(error, settings)
    print(
        f"{headline} : erreur inattendue{where} ({type(error).__name__}) — rien n'a été publié ; "
        f"signalez-la à l'équipe technique avec le fichier {log}",
        file=out,
    )
    return UNFORESEEN


def source_in_traceback(error):
    """The source file that was being handled when ``error`` was raised, if a frame knows it."""
    for frame, _ in reversed(list(traceback.walk_tb(error.__traceback__))):
        for value in frame.f_locals.values():
            path = known_source(value)
            if isinstance(path, str):
                return path
    return None


def known_source(value):
    """``value.source_path``, or None: a frame's local may be anything, even an object whose every
    attribute raises (a template's undefined value), and the report must not fail on it."""
    try:
        return getattr(value, "source_path", None)
    except Exception:  # whatever the object raises, it names no source
        return None


def keep_traceback(error, settings):
    """Write the traceback for the technical team; return the log's path."""
    folder = (settings or {}).get("CACHE_PATH") or os.path.join(ROOT, "cache")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "erreur-construction.log")
    with open(path, "w", encoding="utf-8") as log:
        log.write("".join(traceback.format_exception(error)))
    return path
