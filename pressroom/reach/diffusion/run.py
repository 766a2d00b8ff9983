"""The job of `invoke diffusion`: for each institution's channel, post each release of the published
site that the channel has not had, reserved in the outbox before it leaves and confirmed on the
network's success answer, and go on with the other channels whatever one of them answers. The
outbox is the e-mail alerts' own: one state, one lock, one run at a time."""

import datetime
import os
import sys
import time

import httpx

from pressroom.content.registry import Registry, RegistryError
from pressroom.publish import outbox
from pressroom.publish.outbox import OutboxError
from pressroom.reach.alerts import AlertError, published_job, read_feeds, settle_uncertain
from pressroom.reach.diffusion.bluesky import Bluesky
from pressroom.reach.diffusion.delivery import TOO_OLD, OutboxDelivery
from pressroom.reach.diffusion.mastodon import Mastodon
from pressroom.reach.diffusion.posts import announcement, post_text
from pressroom.reach.diffusion.telegram import Telegram
from pressroom.reach.diffusion.transport import TIMEOUT, NotSent, Uncertain
from pressroom.settings import DEFAULTS

NETWORKS = {"telegram": Telegram, "mastodon": Mastodon, "bluesky": Bluesky}
COMMAND = "invoke diffusion"


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
    uncertain="",
):
    """The whole job; returns an exit status (0 all posted, 1 something left pending or uncertain,
    2 nothing could start). ``uncertain``: what to do with posts an earlier run left « en cours »
    (« renvoyer » or « envoye »)."""
    environ = os.environ if environ is None else environ
    now = now or datetime.datetime.now(datetime.UTC)
    try:
        registry = Registry.load(registry_path)
        feeds, sources = read_feeds(output, registry, settings or {})
        with outbox.opened(str(state_path), create=init, command=COMMAND) as box:
            unsettled = 0 if dry_run else settle_uncertain(box, uncertain, now, out, NETWORKS, "le fil du réseau")
            delivery = OutboxDelivery(box, sources, read_only=dry_run)
            since = (now - datetime.timedelta(days=window_days)).date()
            with httpx.Client(timeout=TIMEOUT) as client:
                job = Job(output, delivery, environ, client, sleep, now, out)
                return max(job.run(feeds, since, init, dry_run), 1 if unsettled else 0)
    except (AlertError, OutboxError, RegistryError) as error:
        print(f"Diffusion non lancée : {error}", file=out)
        return getattr(error, "status", 2)


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
                self.set_aside(network, account, [r for r in missing if r.day < since])
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

    def set_aside(self, network, account, releases):
        for release in releases:
            self.delivery.set_aside(network, account, release, TOO_OLD, self.now)
            print(f"Non publié ({TOO_OLD}) : {network} {account} « {release.title} »", file=self.out)

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
            self.delivery.reserve(network, account, release, self.now)
            try:
                channel.post(announcement(self.output, institution, release))
            except Uncertain as error:
                print(
                    f"Publication incertaine : « {release.title} » — {error} ; elle ne sera pas refaite d'elle-même, "
                    f"voir {COMMAND} --incertains",
                    file=self.out,
                )
                self.failed += len(releases) - index
                return
            except NotSent as error:
                self.delivery.cancel(network, account, release)
                print(f"Non publié : « {release.title} » — {error}", file=self.out)
                self.failed += len(releases) - index
                return
            except OSError as error:  # the photo of the build unreadable: this release only
                self.delivery.cancel(network, account, release)
                print(f"Non publié : « {release.title} » — {channel.label} : photo illisible ({error})", file=self.out)
                self.failed += 1
                continue
            self.delivery.confirm(network, account, release, self.now)
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


def main(init=False, dry_run=False, state_path="", output="", window_days=None, uncertain="", out=sys.stdout):
    """`invoke diffusion`: window from publishconf.py's settings unless given, state in the outbox of
    the e-mail alerts (beside the publication). Without ``output``, the feeds are those the publication
    put online, copied from $PUBLISH_DEST as for the alerts: what is posted is online."""
    options = {"init": init, "dry_run": dry_run, "uncertain": uncertain}
    return published_job(
        run, "DIFFUSION_FENETRE_JOURS", "Diffusion impossible", state_path, output, window_days, out, options
    )
