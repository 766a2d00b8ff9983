"""The job of `invoke diffusion`: for each institution's channel, post each release of the published
build that the channel has not had, record it at once on the network's success answer, and go on
with the other channels whatever one of them answers. One run at a time."""

import contextlib
import datetime
import fcntl
import os
import sys
import time

import httpx

from .. import site
from ..alerts import AlertError, on_published_copy, read_feeds
from ..registry import Registry, RegistryError
from ..settings import DEFAULTS, registry_path, setting
from .bluesky import Bluesky
from .delivery import SENT, TOO_OLD, JsonDelivery, StateError
from .mastodon import Mastodon
from .posts import announcement, post_text
from .telegram import Telegram
from .transport import TIMEOUT, NotSent

NETWORKS = {"telegram": Telegram, "mastodon": Mastodon, "bluesky": Bluesky}
LOCK_NAME = ".diffusion.lock"


class Busy(Exception):
    pass


@contextlib.contextmanager
def one_run_at_a_time(state_path):
    """An advisory lock on a file beside the state (released by the kernel if the run dies)."""
    directory = os.path.dirname(os.path.abspath(state_path))
    os.makedirs(directory, exist_ok=True)
    handle = os.open(os.path.join(directory, LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"un autre lancement utilise déjà {state_path} — attendez qu'il se termine") from None
        yield
    finally:
        os.close(handle)


def run(
    output,
    registry_path,
    state_path,
    init=False,
    dry_run=False,
    window_days=DEFAULTS["DIFFUSION_FENETRE_JOURS"],
    now=None,
    environ=None,
    settings=None,
    out=sys.stdout,
    sleep=time.sleep,
):
    """The whole job; returns an exit status (0 all posted, 1 something left pending, 2 nothing could start)."""
    environ = os.environ if environ is None else environ
    now = now or datetime.datetime.now(datetime.UTC)
    try:
        with one_run_at_a_time(state_path):
            registry = Registry.load(registry_path)
            feeds, _ = read_feeds(output, registry, settings or {})
            delivery = JsonDelivery.load(state_path, create=init, read_only=dry_run)
            since = (now - datetime.timedelta(days=window_days)).date()
            with httpx.Client(timeout=TIMEOUT) as client:
                job = Job(output, delivery, environ, client, sleep, now, out)
                return job.run(feeds, since, init, dry_run)
    except Busy as error:
        print(f"Diffusion non lancée : {error}", file=out)
        return 1
    except (AlertError, StateError, RegistryError) as error:
        print(f"Diffusion non lancée : {error}", file=out)
        return 2


class Job:
    """One run: what each channel still lacks, posted or set aside, and the count of what failed."""

    def __init__(self, output, delivery, environ, client, sleep, now, out):
        self.output, self.delivery, self.environ, self.client = output, delivery, environ, client
        self.sleep, self.now, self.out = sleep, now, out
        self.posted = self.failed = 0

    def run(self, feeds, since, init, dry_run):
        for institution, releases in feeds.items():
            if dry_run:
                if institution.channels:
                    self.show(institution, releases, since)
                continue
            for network, account in institution.channels:
                if init or not self.delivery.known(network, account):
                    self.start(institution, network, account, releases, init)
                    continue
                missing = [r for r in releases if self.delivery.pending(network, account, r)]
                self.set_aside(network, account, [r for r in missing if r.day < since], TOO_OLD)
                self.post(institution, network, account, [r for r in missing if r.day >= since])
        if not any(institution.channels for institution in feeds):
            print("Aucun canal dans le registre (clé « diffusion » des institutions) : rien à publier.", file=self.out)
        if init:
            print("État initialisé : ce qui est en ligne est marqué comme publié, sans rien publier.", file=self.out)
        elif not dry_run:
            print(f"Diffusion : {self.posted} publication(s), {self.failed} en attente.", file=self.out)
        return 1 if self.failed else 0

    def start(self, institution, network, account, releases, init):
        """A channel new to the state (or --init): what is online counts as posted; it gets the next releases."""
        missing = [r for r in releases if self.delivery.pending(network, account, r)]
        self.delivery.start(network, account, missing, self.now)
        if not init:
            print(
                f"Nouveau canal {network} {account} ({institution.acronym}) : {len(missing)} communiqué(s) "
                "déjà en ligne marqué(s) comme publié(s) ; il recevra les suivants.",
                file=self.out,
            )

    def set_aside(self, network, account, releases, status):
        for release in releases:
            self.delivery.mark_sent(network, account, release, status, self.now)
            print(f"Non publié ({status}) : {network} {account} « {release.title} »", file=self.out)

    def post(self, institution, network, account, releases):
        """Post in order; the first failure leaves that one and the rest of this channel for the next run."""
        if not releases:
            return
        try:
            channel = NETWORKS[network](institution, account, self.environ, self.client, self.sleep, self.out)
        except NotSent as error:
            print(f"{error} ; {len(releases)} publication(s) en attente", file=self.out)
            self.failed += len(releases)
            return
        for index, release in enumerate(releases):
            try:
                channel.post(announcement(self.output, institution, release))
            except NotSent as error:
                print(f"Non publié : « {release.title} » — {error}", file=self.out)
                self.failed += len(releases) - index
                return
            except OSError as error:  # the photo of the build unreadable: this release only
                print(f"Non publié : « {release.title} » — {channel.label} : photo illisible ({error})", file=self.out)
                self.failed += 1
                continue
            self.delivery.mark_sent(network, account, release, SENT, self.now)
            print(f"Publié : {channel.label} « {release.title} »", file=self.out)
            self.posted += 1

    def show(self, institution, releases, since):
        """--dry-run: each post a channel still lacks, as it would be written, and a text to copy to WhatsApp."""
        waiting = [
            release
            for release in releases
            if release.day >= since
            and any(
                self.delivery.known(network, account) and self.delivery.pending(network, account, release)
                for network, account in institution.channels
            )
        ]
        for release in waiting:
            item = announcement(self.output, institution, release)
            print(f"Essai à blanc — {institution.acronym} « {release.title} »", file=self.out)
            for network, account in institution.channels:
                if self.delivery.known(network, account) and self.delivery.pending(network, account, release):
                    text = NETWORKS[network].offline_text(item)
                    print(f"--- {network} {account} :\n{text}", file=self.out)
            print(f"--- WhatsApp (à copier à la main) :\n{whatsapp_text(item)}\n", file=self.out)
        if not waiting:
            print(f"Essai à blanc — {institution.acronym} : rien à publier.", file=self.out)


def whatsapp_text(item):
    """The post to paste into a WhatsApp channel: Meta gives no way to post there from a program."""
    return post_text(item.title, item.summary, item.link, 65536, len)


def main(init=False, dry_run=False, state_path="", output="", window_days=None, out=sys.stdout):
    """`invoke diffusion`: state and window from publishconf.py's settings unless given. Without ``output``,
    the production site is built privately first (as for the e-mail alerts), so what is posted is online."""
    settings = site.load_settings("publishconf.py")

    def post(folder):
        return run(
            folder,
            registry_path(settings),
            state_path or os.path.join(site.ROOT, setting(settings, "DIFFUSION_ETAT")),
            init=init,
            dry_run=dry_run,
            window_days=setting(settings, "DIFFUSION_FENETRE_JOURS") if window_days is None else window_days,
            settings=settings,
            out=out,
        )

    if output:
        return post(output)
    return on_published_copy(post, settings, out, "Diffusion impossible")
