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

from pelican import Pelican
from pelican.settings import read_settings

from pressroom.build import atomic, cache, engine, output, parts, processes, report, searchindex, treelock
from pressroom.settings import ROOT as PROJECT_ROOT
from pressroom.settings import SettingsError, setting
from pressroom.settings import check as check_settings

ROOT = str(PROJECT_ROOT)
TREE_BUSY = report.TREE_BUSY


class LogRecorder(logging.Handler):
    """Records the messages logged at ``level`` or above: the errors Pelican logs
    while it goes on (a file it could not read), a parallel reader's warnings."""

    def __init__(self, level=logging.ERROR):
        super().__init__(level=level)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def load_settings(settings_file="pelicanconf.py", **overrides):
    """The settings as Pelican reads them, ours checked (``SettingsError``: French lines, exit 2);
    a Pelican other than the engine's is said once, in French."""
    engine.warn_if_other_version()
    overrides.setdefault("build_part", "")  # a part only when a command asks for one, never from a file
    path = os.path.join(ROOT, settings_file)
    settings = read_settings(path, override={k.upper(): v for k, v in overrides.items()})
    problems = check_settings(settings)
    part_problem = parts.problem(settings)
    if part_problem:
        problems.append(part_problem)
    if problems:
        raise SettingsError(problems)
    return settings


def build(settings_file="pelicanconf.py", out=sys.stderr, command="invoke build", part="", **overrides):
    """Build the site, or with ``part`` (« 2012-2015 », « communes ») one part of it into its folder
    of PARTS_PATH; return 0 on success, non-zero with French messages otherwise.
    ``command`` names this build to a second command that finds the tree locked."""
    try:
        settings = load_settings(settings_file, build_part=part, **overrides)
        with treelock.tree_lock(settings["OUTPUT_PATH"], command, out=out):
            if part:
                settings = dict(settings, OUTPUT_PATH=parts.folder(settings, parts.of(settings)))
            return build_unlocked(settings, out)
    except (SettingsError, Exception) as error:  # the settings, another command's lock, a folder not renamed
        return report.failure(error, out, "Construction impossible")


def merge_parts(settings_file="pelicanconf.py", out=sys.stderr, command="invoke fusion", **overrides):
    """Put the parts of PARTS_PATH together in the output folder (``parts.merge``); 0, or French lines."""
    try:
        settings = load_settings(settings_file, **overrides)
        with treelock.tree_lock(settings["OUTPUT_PATH"], command, out=out):
            folders = parts.part_folders(settings)
            count = parts.merge(folders, settings["OUTPUT_PATH"], setting(settings, "OUTPUT_MANIFEST"))
        print(f"Site assemblé dans {settings['OUTPUT_PATH']} : {count} fichiers de {len(folders)} parties", file=out)
        return 0
    except (SettingsError, Exception) as error:
        return report.failure(error, out, "Fusion impossible")


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
    except (treelock.TreeBusy, SettingsError) as error:
        return report.failure(error, out, "Lancement impossible")


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
    except KeyboardInterrupt:
        raise
    except Exception as error:  # every failure becomes a French report
        return report.failure(error, out, "La construction a échoué", settings)
    finally:
        logging.getLogger().removeHandler(counter)
    if counter.messages:
        print(f"La construction a échoué : {len(counter.messages)} erreur(s) signalée(s) ci-dessus.", file=out)
        return 1
    return 0
