"""Build the site with Pelican; turn content problems into French messages
and a non-zero exit status instead of a traceback or a silent skip.

A build holds the tree's lock (``treelock``) and writes into a fresh folder
that replaces the output folder only once complete (``atomic``): a failed,
interrupted or killed build leaves the previous site whole."""

import contextlib
import logging
import os
import subprocess
import sys
import traceback

from pelican import Pelican
from pelican.settings import read_settings
from pelican.writers import FileOverwriteFailedError

from pressroom.build import atomic, cache, output, processes, searchindex, treelock
from pressroom.content.problems import ContentError
from pressroom.content.registry import RegistryError
from pressroom.settings import ROOT as PROJECT_ROOT
from pressroom.settings import SettingsError
from pressroom.settings import check as check_settings

ROOT = str(PROJECT_ROOT)
TREE_BUSY = 4  # exit status when another command holds the tree (3: an unforeseen error)


class LogRecorder(logging.Handler):
    """Records the messages logged at ``level`` or above: the errors Pelican logs
    while it goes on (a file it could not read), a parallel reader's warnings."""

    def __init__(self, level=logging.ERROR):
        super().__init__(level=level)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def load_settings(settings_file="pelicanconf.py", **overrides):
    """The settings as Pelican reads them, ours checked (``SettingsError``: French lines, exit 2)."""
    path = os.path.join(ROOT, settings_file)
    settings = read_settings(path, override={k.upper(): v for k, v in overrides.items()})
    problems = check_settings(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def source_in_traceback(error):
    """The source file that was being handled when ``error`` was raised, if a frame knows it."""
    for frame, _ in reversed(list(traceback.walk_tb(error.__traceback__))):
        for value in frame.f_locals.values():
            path = getattr(value, "source_path", None)
            if isinstance(path, str):
                return path
    return None


def keep_traceback(error, settings):
    """Write the traceback for the technical team; return the log's path."""
    folder = (settings or {}).get("CACHE_PATH") or os.path.join(ROOT, "cache")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "erreur-construction.log")
    with open(path, "w", encoding="utf-8") as log:
        log.write("".join(traceback.format_exception(error)))
    return path


def unforeseen(error, settings, out):
    """A French message for an error no check foresaw: the file when known, never a traceback."""
    source = source_in_traceback(error)
    where = f" en traitant {os.path.relpath(source, (settings or {}).get('PATH') or ROOT)}" if source else ""
    log = keep_traceback(error, settings)
    print(
        f"La construction a échoué : erreur inattendue{where} ({type(error).__name__}) — rien n'a été publié ; "
        f"signalez-la à l'équipe technique avec le fichier {log}",
        file=out,
    )
    return 3


def build(settings_file="pelicanconf.py", out=sys.stderr, command="invoke build", **overrides):
    """Build the site; return 0 on success, non-zero with French messages otherwise.
    ``command`` names this build to a second command that finds the tree locked."""
    try:
        settings = load_settings(settings_file, **overrides)
        with treelock.tree_lock(settings["OUTPUT_PATH"], command, out=out):
            return build_unlocked(settings, out)
    except treelock.TreeBusy as error:
        print(f"Construction impossible : {error}", file=out)
        return TREE_BUSY
    except SettingsError as error:
        print(f"Construction impossible. {error}", file=out)
        return 2
    except Exception as error:  # unreadable settings, a folder that cannot be renamed
        return unforeseen(error, None, out)


def run_locked(command, label, settings_file="pelicanconf.py", out=sys.stderr):
    """Run ``command`` (Pelican's own live reload) holding the tree's lock; it dies with this process."""
    try:
        output_path = load_settings(settings_file)["OUTPUT_PATH"]
        with treelock.tree_lock(output_path, label, out=out):
            parent = os.getpid()
            child = subprocess.Popen(command, cwd=ROOT, preexec_fn=lambda: processes.die_with_parent(parent))
            try:
                return child.wait()
            except KeyboardInterrupt:
                child.terminate()
                return child.wait()
    except treelock.TreeBusy as error:
        print(f"Lancement impossible : {error}", file=out)
        return TREE_BUSY


def build_unlocked(settings, out=sys.stderr):
    """Build into a fresh folder and swap it in once complete; the caller holds the tree's lock."""
    final = settings["OUTPUT_PATH"]
    restore_sigterm = processes.raise_on_sigterm()
    try:
        with atomic.fresh_output(final) as fresh:
            try:
                status = run_pelican(dict(settings, OUTPUT_PATH=fresh), out)
            except KeyboardInterrupt:
                processes.stop_children()  # nothing writes into the fresh folder while it is removed
                raise
            if status == 0:
                atomic.swap_in(fresh, final)
                print(f"Site construit dans {final}", file=out)
            return status
    except KeyboardInterrupt:
        print("Construction interrompue : le site précédent est resté en place.", file=out)
        return 130
    finally:
        restore_sigterm()


@contextlib.contextmanager
def reads_shown(out):
    """The reader cache's line (« 6 articles : 0 lus, 6 depuis le cache ») and the search index's
    (« recherche : 1 tranche indexée, 6 reprises du cache ») printed to ``out``."""
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(message)s"))
    shown = [logging.getLogger(cache.__name__), logging.getLogger(searchindex.__name__)]
    before = [(logger.level, logger.propagate) for logger in shown]
    for logger in shown:
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logger.addHandler(handler)
        # Pelican's loggers drop a message already logged in this process: each build's counts are new.
        getattr(logger, "disable_filter", lambda: None)()
    try:
        yield
    finally:
        for logger, (level, propagate) in zip(shown, before, strict=True):
            logger.removeHandler(handler)
            logger.level, logger.propagate = level, propagate


def run_pelican(settings, out):
    """Run Pelican with ``settings``; 0, or a French report and a non-zero status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    counter = LogRecorder()
    logging.getLogger().addHandler(counter)
    try:
        with reads_shown(out):
            Pelican(settings).run()
        output.finished.send(settings)
    except ContentError as error:
        print(f"La construction a échoué : {len(error.problems)} problème(s) dans le contenu.", file=out)
        for problem in error.problems:
            print(problem, file=out)
        return error.exitcode
    except RegistryError as error:
        print(
            f"La construction a échoué : {len(error.problems)} problème(s) dans le registre des institutions.", file=out
        )
        print(error, file=out)
        return 2
    except FileOverwriteFailedError as error:  # two outputs at one address, not caught by the content gate
        print(
            "La construction a échoué : deux pages s'écriraient dans le même fichier, rien n'a été écrasé "
            f"— changez le Slug de l'une d'elles ({error})",
            file=out,
        )
        return 2
    except KeyboardInterrupt:
        raise
    except Exception as error:
        return unforeseen(error, settings, out)
    finally:
        logging.getLogger().removeHandler(counter)
    if counter.messages:
        print(f"La construction a échoué : {len(counter.messages)} erreur(s) signalée(s) ci-dessus.", file=out)
        return 1
    return 0
