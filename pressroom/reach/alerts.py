"""E-mail alerts (`invoke alertes`): announce each new release of an institution
to its announce list, or send one digest a day to its digest list.

The job reads what the publication put online: the institution Atom feeds and
the list of published addresses, fetched from the published folder itself
($PUBLISH_DEST), never from a second build. What was sent is kept in the
outbox (``pressroom.publish.outbox``), beside the published site: each message is
recorded « en cours » before it leaves and « envoyé » after, so that no later
run sends it again, whatever commit it checked out and even if its pipeline
failed. A release is recognised by its feed id, its address, its date and
title, or its source file: correcting a title, a date, a slug or a summary
sends nothing again, while a new release that reuses an old slug is sent.
Subscribers are kept by the list manager (Mailman), which must receive each
post with its moderator password (ALERTES_LIST_APPROVE), or it would hold it.
"""

import dataclasses
import datetime
import ipaddress
import os
import shutil
import smtplib
import ssl
import sys
import tempfile
from urllib.parse import urlsplit

import feedparser
from bs4 import BeautifulSoup

from pressroom.build import site
from pressroom.content import addresses
from pressroom.content.contacts import site_contact
from pressroom.content.problems import Problem
from pressroom.content.registry import Registry, RegistryError
from pressroom.publish import host as publish
from pressroom.publish import outbox
from pressroom.publish.outbox import SENT, Outbox, OutboxError
from pressroom.reach.alert_messages import Envelope, Release, compose
from pressroom.settings import DEFAULTS, registry_path, setting

SMTP_PORT = 587
ANNOUNCE, DIGEST = "annonces", "quotidien"  # the outbox's channels, and the registry keys of the lists


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


def unencrypted_link_problem(path, releases):
    """The first release whose link is not https, as a Problem, or None: a mail must not send readers
    (and their list's trust) over plain http."""
    for release in releases:
        if urlsplit(release.link).scheme != "https":
            return Problem(
                path,
                "link",
                f"adresse non chiffrée « {release.link} » : les alertes n'annoncent que des pages en https",
                "publiez le site avec SITEURL=https://… puis relancez invoke alertes",
                line=line_of(path, release.link),
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
    releases = sorted((release_of(entry) for entry in parsed.entries), key=lambda r: (r.published, r.path))
    problem = unencrypted_link_problem(path, releases)
    if problem:
        raise AlertError(problem)
    return releases


def published_sources(output, settings):
    """Address path (``/2025/02/slug/``, under SITEURL's folder if any) -> source file, from the list
    of published addresses the build wrote: the identity of a release that outlives its slug, and
    that a new release lacks."""
    entries = addresses.read_entries(os.path.join(output, addresses.list_name(settings)))
    base = urlsplit(settings.get("SITEURL", "")).path.rstrip("/")  # a site served from a sub-folder
    return {f"{base}/{entry.url}": entry.source for entry in entries}


def with_source(release, sources):
    return dataclasses.replace(release, source=sources.get(release.path, ""))


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
    sources = published_sources(output, settings)
    for institution in registry:
        path = os.path.join(output, pattern.format(slug=institution.slug))
        try:
            feeds[institution] = [with_source(release, sources) for release in read_feed(path)]
        except AlertError as error:
            problems.append(str(error))
    if problems:
        raise AlertError(*problems)
    return feeds, sources


# --- What to do --------------------------------------------------------------

INITIALIZED, TOO_OLD, NO_LIST = "initialisé", "trop ancien", "sans liste"


@dataclasses.dataclass
class Plan:
    """Records to write without sending (release, status), and messages: (institution, address, releases)."""

    records: list = dataclasses.field(default_factory=list)
    messages: list = dataclasses.field(default_factory=list)
    corrections: int = 0


def plan(section, feeds, box, sources, now, window_days, init=False):
    """Decide, for each release of each institution, what to record and what to send."""
    since = (now - datetime.timedelta(days=window_days)).date()
    result = Plan()
    for institution, releases in feeds.items():
        address = dict(institution.alerts).get(section, "").strip()
        to_send = []
        for release in releases:
            record = box.find(section, institution.acronym, release, sources)
            if record is not None:
                result.corrections += Outbox.remember(record, release)
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
                "— renseignez les secrets SMTP (voir docs/exploitation.md, « Secrets et variables »)"
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
    approve = environ.get("ALERTES_LIST_APPROVE", "")
    if not approve:
        raise AlertError(
            "Alertes non envoyées : ALERTES_LIST_APPROVE absent — sans le mot de passe de modération des "
            "listes, Mailman retiendrait chaque message au lieu de le distribuer ; renseignez ce secret"
        )
    return Envelope(sender=sender, approve=approve)


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


class Refused(Exception):
    """The server refused the message: it surely did not leave."""


class Uncertain(Exception):
    """The connection was lost once the message's data was on its way: it may have left."""


def deliver(smtp, message, sender):
    """Send one message step by step, so that a failure says whether the message may have left."""
    try:
        smtp.ehlo_or_helo_if_needed()
        code, answer = smtp.mail(sender)
        if code != 250:
            raise Refused(smtp_reason(smtplib.SMTPResponseException(code, answer)))
        code, answer = smtp.rcpt(message["To"])
        if code not in (250, 251):
            raise Refused(smtp_reason(smtplib.SMTPResponseException(code, answer)))
    except (smtplib.SMTPException, OSError) as error:  # nothing of the message was sent yet
        raise Refused(smtp_reason(error)) from None
    try:
        code, answer = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
    except smtplib.SMTPResponseException as error:  # the server answered: it refused the data
        raise Refused(smtp_reason(error)) from None
    except (smtplib.SMTPException, OSError) as error:
        raise Uncertain(str(error)) from None
    if code != 250:
        smtp.rset()
        raise Refused(smtp_reason(smtplib.SMTPResponseException(code, answer)))


def send_all(messages, section, box, envelope, smtp, now, out, fallback_contact=None):
    """Send each message, recorded « en cours » before and « envoyé » after; a refused message is
    reported and left for the next run; a lost connection stops. Returns (sent, failed)."""
    sent = failures = 0
    for institution, address, releases in messages:
        message = compose(
            institution, releases, address, envelope, now, digest=section == DIGEST, fallback_contact=fallback_contact
        )
        box.reserve(section, institution.acronym, releases, now)
        try:
            deliver(smtp, message, envelope.sender)
        except Refused as error:
            box.cancel(section, institution.acronym, releases)
            print(f"Refusé, non enregistré : {describe(institution, address, releases)} ({error})", file=out)
            failures += 1
            if not _still_connected(smtp):
                print("Envoi interrompu : connexion perdue — relancez invoke alertes plus tard", file=out)
                return sent, failures
            continue
        except Uncertain as error:
            print(
                f"Envoi incertain : {describe(institution, address, releases)} (connexion perdue : {error}) — "
                "ce message ne sera pas renvoyé de lui-même ; voir invoke alertes --incertains",
                file=out,
            )
            return sent, failures + 1
        box.confirm(section, institution.acronym, releases, now)
        print(f"Envoyé : {describe(institution, address, releases)}", file=out)
        sent += 1
    return sent, failures


def _still_connected(smtp):
    try:
        return smtp.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


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
    uncertain="",
):
    """The whole job; returns an exit status, with French messages on ``out``. ``uncertain``:
    what to do with messages left « en cours » by an earlier run: "renvoyer" or "envoye"."""
    environ = os.environ if environ is None else environ
    now = now or datetime.datetime.now(datetime.UTC)
    settings = settings or {}
    try:
        registry = Registry.load(registry_path)  # its « alertes » lists checked like every other field
        feeds, sources = read_feeds(output, registry, settings)
        with outbox.opened(str(state_path), create=init) as box:
            return _run(box, feeds, sources, daily, init, dry_run, window_days, now, environ, settings, out, uncertain)
    except (AlertError, OutboxError) as error:
        print(error, file=out)
        return error.status
    except RegistryError as error:
        print(f"Alertes non envoyées : {error}", file=out)
        return 2


UNCERTAIN_CHOICES = {"renvoyer": "renvoyé", "envoye": SENT}


def settle_uncertain(box, choice, now, out, channels=(ANNOUNCE, DIGEST), evidence="l'archive de la liste"):
    """Apply the operator's choice to what ``channels`` left « en cours »; the number still unsettled.
    ``evidence``: where the operator sees whether it arrived (« l'archive de la liste », « le fil du canal »)."""
    left = box.uncertain(channels)
    if choice and choice not in UNCERTAIN_CHOICES:
        raise AlertError(f"Envois arrêtés : --incertains « {choice} » inconnu — renvoyer ou envoye")
    for channel, target, record in left:
        title = record.get("dates_titres", ["?"])[0]
        if choice == "renvoyer":
            box.records(channel, target).remove(record)
            print(f"Envoi incertain, renvoyé maintenant : {target} ({channel}) {title}", file=out)
        elif choice == "envoye":
            box.settle(record, SENT, now)
            print(f"Envoi incertain, marqué comme envoyé : {target} ({channel}) {title}", file=out)
        else:
            print(
                f"Envoi incertain, non renvoyé : {target} ({channel}) {title} — vérifiez {evidence}, "
                "puis relancez avec --incertains=envoye (il est arrivé) ou --incertains=renvoyer",
                file=out,
            )
    if choice and left:
        box.save()
    return 0 if choice else len(left)


def _run(box, feeds, sources, daily, init, dry_run, window_days, now, environ, settings, out, uncertain):
    unsettled = 0 if dry_run else settle_uncertain(box, uncertain, now, out)
    sections = (ANNOUNCE, DIGEST) if init else (DIGEST if daily else ANNOUNCE,)
    plans = {section: plan(section, feeds, box, sources, now, window_days, init=init) for section in sections}
    if dry_run:
        report(plans, init, dry_run, out)
        return 0
    smtp = envelope = None
    if any(decided.messages for decided in plans.values()):
        envelope = envelope_from(environ)
        smtp = connect(SmtpConfig.from_environ(environ))  # before recording anything: a wrong password changes nothing
    for section, decided in plans.items():
        for institution, release, status in decided.records:
            box.add(section, institution.acronym, release, status, now)
    if init or any(decided.records or decided.corrections for decided in plans.values()):
        box.save()
    report(plans, init, dry_run, out)
    sent = failures = 0
    try:
        for section, decided in plans.items():
            counts = send_all(decided.messages, section, box, envelope, smtp, now, out, site_contact(settings))
            sent, failures = sent + counts[0], failures + counts[1]
    finally:
        if smtp is not None:
            _quit(smtp)
    if not init:
        print(f"Alertes : {sent} message(s) envoyé(s), {failures} en échec.", file=out)
    return 1 if failures or unsettled else 0


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


def online_copy(dest, settings, private):
    """The feeds and the list of published addresses, copied from the published folder ``dest``."""
    copy = os.path.join(private, "en-ligne")
    feeds = os.path.dirname(setting(settings, "INSTITUTION_FEED_ATOM")) + "/"
    for name in (feeds, addresses.list_name(settings)):
        if not publish.copy_from_destination(dest, name, os.path.join(copy, name)):
            raise AlertError(
                f"{name} introuvable dans la publication « {dest} » — publiez d'abord "
                "le site (invoke publish), vérifiez PUBLISH_DEST et la clé SSH"
            )
    return copy


def state_location(state_path, environ, settings):
    """--state, else the outbox kept beside the publication ($PUBLISH_DEST), else ALERTES_ETAT."""
    if state_path:
        return state_path
    dest = environ.get(publish.DESTINATION_VARIABLE, "").strip()
    if dest:
        return outbox.beside_publication(dest)
    return os.path.join(site.ROOT, setting(settings, "ALERTES_ETAT"))


def main(
    daily=False, init=False, dry_run=False, state_path="", output="", window_days=None, uncertain="", out=sys.stdout
):
    """`invoke alertes`: window and state from publishconf.py's settings unless given. Without
    ``output``, the feeds are those the publication put online: copied from $PUBLISH_DEST."""
    options = {"daily": daily, "init": init, "dry_run": dry_run, "uncertain": uncertain}
    return published_job(
        run, "ALERTES_FENETRE_JOURS", "Alertes impossibles", state_path, output, window_days, out, options
    )


def published_job(job, window_setting, impossible, state_path, output, window_days, out, options):
    """Run a channel's ``job`` (the alerts' or the diffusion's ``run``) with publishconf.py's settings on
    what the publication put online (``on_published_copy``); its window of days from ``window_setting``
    unless given, its state beside the publication unless given."""
    settings = site.load_settings("publishconf.py")

    def on(folder):
        return job(
            folder,
            registry_path(settings),
            state_location(state_path, os.environ, settings),
            window_days=setting(settings, window_setting) if window_days is None else window_days,
            settings=settings,
            out=out,
            **options,
        )

    return on_published_copy(on, output, settings, out, impossible)


def on_published_copy(job, output, settings, out, impossible):
    """``job(folder)`` on ``output`` when given, else on a private copy of what the publication
    ($PUBLISH_DEST) put online: its feeds and its list of published addresses; its status.
    ``impossible`` heads the French line of a missing destination (« Alertes impossibles »)."""
    if output:
        return job(output)
    try:
        dest = publish.destination(os.environ)
        if not shutil.which("rsync"):
            raise publish.PublishError("rsync introuvable — installez-le (apt-get install rsync)")
    except publish.PublishError as error:
        print(f"{impossible} : {error} (ou indiquez --output)", file=out)
        return 2
    with tempfile.TemporaryDirectory(prefix="en-ligne-") as private:
        try:
            copy = online_copy(dest, settings, private)
        except AlertError as error:
            print(f"{impossible} : {error}", file=out)  # said for the job that asked: alerts or networks
            return error.status
        return job(copy)
