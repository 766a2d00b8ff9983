"""E-mail alerts (`invoke alertes`): announce each new release of an institution
to its announce list, or send one digest a day to its digest list.

The job reads the institution Atom feeds of the production build and a state
file committed in the repository. A release counts as announced when its feed
id, its URL path or its date and title match a recorded one, or when it shares
the slug of a recent recorded release that has left the feed: correcting a
title, a date, a slug or a summary sends nothing again. The state is written
atomically after each message, so a run stopped part-way leaves only what is
missing for the next one. Subscribers are kept by the list manager (Mailman).
"""

import contextlib
import dataclasses
import datetime
import fcntl
import ipaddress
import json
import os
import smtplib
import ssl
import sys
import unicodedata
from urllib.parse import urlsplit

import feedparser
from bs4 import BeautifulSoup

from . import atomic, publish, site
from .alert_messages import Envelope, Release, compose
from .problems import Problem
from .registry import Registry, RegistryError
from .settings import DEFAULTS, registry_path, setting

SMTP_PORT = 587
ANNOUNCE, DIGEST = "annonces", "quotidien"  # the state's sections, and the registry keys of the lists
STATE_VERSION = 1


class AlertError(Exception):
    """A problem that stops the job before anything is sent; its lines are French."""

    def __init__(self, *lines, status=2):
        super().__init__("\n".join(str(line) for line in lines))
        self.status = status


# --- Registry ----------------------------------------------------------------


# --- Feeds -------------------------------------------------------------------


def is_local(address):
    """True for an address that only works on the build machine: 127.0.0.1, localhost, or no host at all."""
    if address.startswith("tag:"):
        host = address[4:].split(",", 1)[0].rsplit("@", 1)[-1]
    else:
        host = urlsplit(address).hostname or ""
    host = host.strip("[]").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def line_of(path, text):
    try:
        with open(path, encoding="utf-8") as source:
            return next((number for number, line in enumerate(source, start=1) if text in line), 1)
    except OSError:
        return 1


def local_address_problem(path, parsed):
    """The first id or link of the feed that points to the build machine, as a Problem, or None."""
    candidates = [("id", parsed.feed.get("id", ""))] + [("link", link.get("href", "")) for link in parsed.feed.links]
    for entry in parsed.entries:
        candidates.append(("id", entry.get("id", "")))
        candidates += [("link", link.get("href", "")) for link in entry.get("links", [])]
    for field, address in candidates:
        if is_local(address):
            return Problem(
                path,
                field,
                f"adresse locale « {address} » : ce flux vient d'une construction de développement",
                "construisez le site de production (invoke publish, ou `pelican -s publishconf.py`) "
                "puis relancez invoke alertes",
                line=line_of(path, address) if address else 1,
            )
    return None


def plain_text(html):
    text = BeautifulSoup(html or "", "html.parser").get_text()
    return " ".join(text.split())


def release_of(entry):
    published = datetime.datetime.fromisoformat(entry.get("published") or entry.get("updated"))
    if published.tzinfo is None:
        published = published.replace(tzinfo=datetime.UTC)
    return Release(
        id=entry.get("id") or entry.link,
        link=entry.link,
        path=urlsplit(entry.link).path,
        title=plain_text(entry.get("title", "")),
        summary=plain_text(entry.get("summary", "")),
        published=published,
    )


def read_feed(path):
    """The releases of one Atom feed, oldest first; AlertError when unreadable or not from production."""
    if not os.path.isfile(path):
        raise AlertError(
            Problem(path, "flux", "flux introuvable", "construisez le site de production ou indiquez --output")
        )
    parsed = feedparser.parse(path)
    if parsed.bozo and not parsed.entries and not parsed.feed:
        raise AlertError(Problem(path, "flux", f"flux illisible ({parsed.bozo_exception})", "reconstruisez le site"))
    problem = local_address_problem(path, parsed)
    if problem:
        raise AlertError(problem)
    return sorted((release_of(entry) for entry in parsed.entries), key=lambda r: (r.published, r.path))


def read_feeds(output, registry, settings):
    """{institution: [releases]} for every institution of the registry; every problem reported at once."""
    pattern = setting(settings, "INSTITUTION_FEED_ATOM")
    folder = os.path.join(output, os.path.dirname(pattern))
    if not os.path.isdir(folder):
        raise AlertError(
            Problem(
                folder,
                "flux",
                "aucun flux d'institution : le site de production n'est pas construit ici",
                "lancez la construction de production (invoke publish) ou indiquez le bon dossier avec --output",
            )
        )
    feeds, problems = {}, []
    for institution in registry:
        path = os.path.join(output, pattern.format(slug=institution.slug))
        try:
            feeds[institution] = read_feed(path)
        except AlertError as error:
            problems.append(str(error))
    if problems:
        raise AlertError(*problems)
    return feeds


# --- State -------------------------------------------------------------------


def folded(text):
    text = unicodedata.normalize("NFC", text.replace("\xa0", " ").replace("\u202f", " "))
    return " ".join(text.split()).casefold()


def keys_of(release):
    return {
        "ids": release.id,
        "chemins": release.path,
        "dates_titres": f"{release.day.isoformat()} {folded(release.title)}",
    }


def slug_of(path):
    return path.rstrip("/").rsplit("/", 1)[-1]


class State:
    """What was announced, per section (annonces, quotidien) and institution acronym.

    Each record keeps every id, path and date-and-title its release has had, its
    latest date, what was done (``etat``) and when (``le``)."""

    def __init__(self, path, data):
        self.path = path
        self.data = data
        self.data.setdefault("version", STATE_VERSION)
        for section in (ANNOUNCE, DIGEST):
            self.data.setdefault(section, {})

    @classmethod
    def load(cls, path, create=False):
        try:
            with open(path, encoding="utf-8") as source:
                return cls(path, json.load(source))
        except FileNotFoundError:
            if create:
                return cls(path, {})
            raise AlertError(
                Problem(
                    path,
                    "état",
                    "fichier d'état absent",
                    "lancez d'abord `invoke alertes --init` (marque comme annoncé tout ce qui est déjà publié) "
                    "et versionnez le fichier, ou indiquez --state",
                )
            ) from None
        except json.JSONDecodeError as error:
            raise AlertError(
                Problem(
                    path, "état", f"JSON illisible ({error.msg})", "restaurez la version versionnée", line=error.lineno
                )
            ) from None

    def records(self, section, acronym):
        return self.data[section].setdefault(acronym, [])

    def find(self, section, acronym, release, present, since):
        """The record of ``release``, or None. ``present``: the keys of the feed's current releases;
        ``since``: records dated after it whose release has left the feed may match by slug alone."""
        wanted = keys_of(release)
        for record in self.records(section, acronym):
            if any(value in record.get(kind, ()) for kind, value in wanted.items()):
                return record
        for record in self.records(section, acronym):
            gone = not any(value in present for kind in wanted for value in record.get(kind, ()))
            recent = record.get("date", "") >= since.isoformat()
            if gone and recent and slug_of(release.path) in {slug_of(p) for p in record.get("chemins", ())}:
                return record
        return None

    @staticmethod
    def remember(record, release):
        """Add the release's current id, path and date-and-title to its record; True if one was new."""
        changed = False
        for kind, value in keys_of(release).items():
            if value not in record.setdefault(kind, []):
                record[kind] = sorted([*record[kind], value])
                changed = True
        if release.day.isoformat() != record.get("date"):
            record["date"] = release.day.isoformat()
            changed = True
        return changed

    def add(self, section, acronym, release, status, when):
        record = {"etat": status, "le": when.isoformat(timespec="seconds")}
        self.remember(record, release)
        records = self.records(section, acronym)
        records.append(record)
        records.sort(key=lambda r: (r["date"], r["chemins"][0]))

    def save(self):
        """Write to a temporary file beside the state, then replace it: never a half-written state."""
        atomic.write_json(self.path, self.data, ".alertes-")


# --- What to do --------------------------------------------------------------

SENT, INITIALIZED, TOO_OLD, NO_LIST = "envoyé", "initialisé", "trop ancien", "sans liste"


@dataclasses.dataclass
class Plan:
    """Records to write without sending (release, status), and messages: (institution, address, releases)."""

    records: list = dataclasses.field(default_factory=list)
    messages: list = dataclasses.field(default_factory=list)
    corrections: int = 0


def plan(section, feeds, state, now, window_days, init=False):
    """Decide, for each release of each institution, what to record and what to send."""
    since = (now - datetime.timedelta(days=window_days)).date()
    result = Plan()
    for institution, releases in feeds.items():
        present = {value for release in releases for value in keys_of(release).values()}
        address = dict(institution.alerts).get(section, "").strip()
        to_send = []
        for release in releases:
            record = state.find(section, institution.acronym, release, present, since)
            if record is not None:
                result.corrections += State.remember(record, release)
            elif init:
                result.records.append((institution, release, INITIALIZED))
            elif not address:
                result.records.append((institution, release, NO_LIST))
            elif release.day < since:
                result.records.append((institution, release, TOO_OLD))
            else:
                to_send.append(release)
        if to_send and section == DIGEST:
            result.messages.append((institution, address, to_send))
        elif to_send:
            result.messages += [(institution, address, [release]) for release in to_send]
    return result


# --- Sending -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str
    password: str
    ca_file: str = ""

    @classmethod
    def from_environ(cls, environ):
        missing = [
            name
            for name in ("ALERTES_SMTP_HOST", "ALERTES_SMTP_USER", "ALERTES_SMTP_PASSWORD")
            if not environ.get(name)
        ]
        if missing:
            raise AlertError(
                f"Alertes non envoyées : variable(s) d'environnement {', '.join(missing)} absente(s) "
                "— renseignez les secrets SMTP (voir README « Alertes par e-mail »)"
            )
        port = environ.get("ALERTES_SMTP_PORT") or str(SMTP_PORT)
        if not port.isdigit():
            raise AlertError(f"Alertes non envoyées : ALERTES_SMTP_PORT « {port} » n'est pas un numéro de port")
        return cls(
            environ["ALERTES_SMTP_HOST"],
            int(port),
            environ["ALERTES_SMTP_USER"],
            environ["ALERTES_SMTP_PASSWORD"],
            environ.get("ALERTES_SMTP_CA", ""),
        )


def envelope_from(environ):
    sender = environ.get("ALERTES_EXPEDITEUR") or environ.get("ALERTES_SMTP_USER", "")
    if "@" not in sender:
        raise AlertError(
            "Alertes non envoyées : adresse d'expédition inconnue — renseignez ALERTES_EXPEDITEUR "
            "(par exemple communiques@listes.example.org)"
        )
    return Envelope(sender=sender, approve=environ.get("ALERTES_LIST_APPROVE", ""))


def connect(config):
    """An SMTP session over STARTTLS, logged in; AlertError (French) otherwise. Credentials never travel in clear."""
    where = f"{config.host}:{config.port}"
    try:
        smtp = smtplib.SMTP(config.host, config.port, timeout=60)
    except (OSError, smtplib.SMTPException) as error:
        raise AlertError(f"Alertes non envoyées : serveur SMTP {where} injoignable ({error})", status=1) from None
    try:
        smtp.ehlo()
        smtp.starttls(context=ssl.create_default_context(cafile=config.ca_file or None))
        smtp.ehlo()
        smtp.login(config.user, config.password)
    except smtplib.SMTPNotSupportedError:
        smtp.close()
        raise AlertError(
            f"Alertes non envoyées : le serveur SMTP {where} n'offre pas STARTTLS — "
            "utilisez le port de soumission chiffré (587) de votre fournisseur",
            status=1,
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        smtp.close()
        raise AlertError(
            f"Alertes non envoyées : identifiants refusés par {where} (code {error.smtp_code}) — "
            "vérifiez ALERTES_SMTP_USER et ALERTES_SMTP_PASSWORD",
            status=1,
        ) from None
    except ssl.SSLError as error:
        smtp.close()
        raise AlertError(f"Alertes non envoyées : chiffrement refusé avec {where} ({error})", status=1) from None
    except (OSError, smtplib.SMTPException) as error:
        smtp.close()
        raise AlertError(f"Alertes non envoyées : échange impossible avec {where} ({error})", status=1) from None
    return smtp


def describe(institution, address, releases):
    titles = " ; ".join(f"« {r.title} » ({r.day.isoformat()})" for r in releases)
    return f"{institution.acronym} → {address} : {titles}"


def smtp_reason(error):
    """« 451 Panne… » rather than a tuple of bytes; for refused recipients, each address and its reason."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return " ; ".join(
            f"{address} : {smtp_reason(smtplib.SMTPResponseException(*answer))}"
            for address, answer in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {text}"
    return str(error)


def send_all(messages, section, state, envelope, smtp, now, out):
    """Send each message, recording it at once; a refused message is reported and skipped,
    a lost connection stops. Returns (sent, failed)."""
    sent = failures = 0
    for institution, address, releases in messages:
        message = compose(institution, releases, address, envelope, now, digest=section == DIGEST)
        try:
            smtp.send_message(message)
        except smtplib.SMTPServerDisconnected as error:
            print(f"Envoi interrompu : connexion perdue ({error}) — relancez invoke alertes plus tard", file=out)
            return sent, failures + 1
        except smtplib.SMTPException as error:  # refused by the server, which still answers: go on with the rest
            print(
                f"Refusé, non enregistré : {describe(institution, address, releases)} ({smtp_reason(error)})", file=out
            )
            failures += 1
            continue
        except OSError as error:  # SMTPException is an OSError too: this is the network
            print(f"Envoi interrompu : connexion perdue ({error}) — relancez invoke alertes plus tard", file=out)
            return sent, failures + 1
        for release in releases:
            state.add(section, institution.acronym, release, SENT, now)
        state.save()
        print(f"Envoyé : {describe(institution, address, releases)}", file=out)
        sent += 1
    return sent, failures


def run(
    output,
    registry_path,
    state_path,
    daily=False,
    init=False,
    dry_run=False,
    window_days=DEFAULTS["ALERTES_FENETRE_JOURS"],
    now=None,
    environ=None,
    settings=None,
    out=sys.stdout,
):
    """The whole job; returns an exit status, with French messages on ``out``."""
    environ = os.environ if environ is None else environ
    now = now or datetime.datetime.now(datetime.UTC)
    settings = settings or {}
    try:
        with one_run_at_a_time(state_path):
            return _run(
                output, registry_path, state_path, daily, init, dry_run, window_days, now, environ, settings, out
            )
    except AlertError as error:
        print(error, file=out)
        return error.status
    except RegistryError as error:
        print(f"Alertes non envoyées : {error}", file=out)
        return 2


@contextlib.contextmanager
def one_run_at_a_time(state_path):
    """Lock the state's folder for the run (the state file itself is replaced, so it cannot hold the lock)."""
    directory = os.path.dirname(os.path.abspath(state_path))
    os.makedirs(directory, exist_ok=True)
    handle = os.open(directory, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlertError(
                f"Alertes non envoyées : un autre lancement utilise déjà {state_path} — attendez qu'il se termine",
                status=1,
            ) from None
        yield
    finally:
        os.close(handle)


def _run(output, registry_path, state_path, daily, init, dry_run, window_days, now, environ, settings, out):
    registry = Registry.load(registry_path)  # its « alertes » lists checked like every other field
    feeds = read_feeds(output, registry, settings)
    state = State.load(state_path, create=init)
    sections = (ANNOUNCE, DIGEST) if init else (DIGEST if daily else ANNOUNCE,)
    plans = {section: plan(section, feeds, state, now, window_days, init=init) for section in sections}
    if dry_run:
        report(plans, init, dry_run, out)
        return 0
    smtp = envelope = None
    if any(decided.messages for decided in plans.values()):
        envelope = envelope_from(environ)
        smtp = connect(SmtpConfig.from_environ(environ))  # before recording anything: a wrong password changes nothing
    for section, decided in plans.items():
        for institution, release, status in decided.records:
            state.add(section, institution.acronym, release, status, now)
    if init or any(decided.records or decided.corrections for decided in plans.values()):
        state.save()
    report(plans, init, dry_run, out)
    sent = failures = 0
    try:
        for section, decided in plans.items():
            counts = send_all(decided.messages, section, state, envelope, smtp, now, out)
            sent, failures = sent + counts[0], failures + counts[1]
    finally:
        if smtp is not None:
            _quit(smtp)
    if not init:
        print(f"Alertes : {sent} message(s) envoyé(s), {failures} en échec.", file=out)
    return 1 if failures else 0


def report(plans, init, dry_run, out):
    prefix = "Essai à blanc — " if dry_run else ""
    if init:
        count = sum(len(decided.records) for decided in plans.values())
        print(f"{prefix}État initialisé : {count} annonce(s) marquée(s) comme faite(s), aucun envoi.", file=out)
        return
    for section, decided in plans.items():
        for institution, release, status in decided.records:
            print(
                f"{prefix}Enregistré sans envoi ({status}) : {institution.acronym} « {release.title} » "
                f"({release.day.isoformat()})",
                file=out,
            )
        if dry_run:
            for message in decided.messages:
                print(f"{prefix}enverrait ({section}) : {describe(*message)}", file=out)
            if not decided.messages:
                print(f"{prefix}rien à envoyer ({section}).", file=out)


def _quit(smtp):
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def main(daily=False, init=False, dry_run=False, state_path="", output="", window_days=None, out=sys.stdout):
    """`invoke alertes`: window and state from publishconf.py's settings unless given. Without
    ``output``, the production site is built privately first (as `invoke publish` does), so the
    feeds read are the ones the public sees, whatever output/ holds."""
    settings = site.load_settings("publishconf.py")

    def announce(folder):
        return run(
            folder,
            registry_path(settings),
            state_path or os.path.join(site.ROOT, setting(settings, "ALERTES_ETAT")),
            daily=daily,
            init=init,
            dry_run=dry_run,
            window_days=setting(settings, "ALERTES_FENETRE_JOURS") if window_days is None else window_days,
            settings=settings,
            out=out,
        )

    if output:
        return announce(output)
    failed = "Alertes annulées : la construction du site de production a échoué, rien n'a été envoyé."
    return publish.on_production_build(announce, out, "Alertes impossibles", failed)
