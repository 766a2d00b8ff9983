"""What was already posted, behind one small interface (Delivery) so that the channels never touch
the store: the outbox of the e-mail alerts (``pressroom.publish.outbox``), one state for every channel, kept
beside the publication. Each channel is an outbox channel (``telegram``, ``mastodon``, ``bluesky``),
each account its target.

A post is reserved (« en cours », saved) before it leaves and confirmed after; a post the network
surely refused is forgotten and tried again on the next run; one whose fate is unknown (the answer
lost after the request left) stays « en cours » and is never posted again by itself.

A release counts as posted to a channel when any key it ever had matches: its feed id, its address,
its date and title, or its source file (through the list of published addresses, so a correction
that changes its title and its address at once still finds its record). Correcting a release posts
nothing again, and each key it takes is added to its record."""

from typing import Protocol

from pressroom.publish.outbox import Outbox

INITIALIZED, TOO_OLD = "initialisé", "trop ancien"


class Delivery(Protocol):
    def known(self, channel: str, target: str) -> bool:
        """True once anything was recorded for ``target`` on ``channel`` (a new channel is not)."""

    def pending(self, channel: str, target: str, release) -> bool:
        """True when ``release`` was never posted (nor set aside, nor left uncertain) there."""

    def reserve(self, channel: str, target: str, release, when) -> None:
        """Record, durably before returning, that ``release`` is being posted there."""

    def confirm(self, channel: str, target: str, release, when) -> None:
        """The network accepted the post: it is done."""

    def cancel(self, channel: str, target: str, release) -> None:
        """The network surely refused the post: forget its reservation, the next run posts it."""

    def set_aside(self, channel: str, target: str, release, status: str, when) -> None:
        """Record ``release`` as done there without posting it (``status`` says why)."""

    def start(self, channel: str, target: str, releases, when) -> None:
        """Follow ``target`` on ``channel`` from now on: ``releases`` (already online) count as done."""


class OutboxDelivery:
    """The Delivery of an open outbox. ``sources``: address -> source file of the published site.
    ``read_only`` (--dry-run): nothing is ever written."""

    def __init__(self, box, sources, read_only=False):
        self.box, self.sources, self.read_only = box, sources, read_only

    def known(self, channel, target):
        return target in self.box.data.get(channel, {})

    def pending(self, channel, target, release):
        record = self.box.find(channel, target, release, self.sources)
        if record is None:
            return True
        if Outbox.remember(record, release):  # a correction: its new keys, so that a later one matches too
            self.save()
        return False

    def reserve(self, channel, target, release, when):
        if not self.read_only:
            self.box.reserve(channel, target, [release], when)

    def confirm(self, channel, target, release, when):
        if not self.read_only:
            self.box.confirm(channel, target, [release], when)

    def cancel(self, channel, target, release):
        if not self.read_only:
            self.box.cancel(channel, target, [release])

    def set_aside(self, channel, target, release, status, when):
        self.box.add(channel, target, release, status, when)
        self.save()

    def start(self, channel, target, releases, when):
        self.box.records(channel, target)
        for release in releases:
            self.box.add(channel, target, release, INITIALIZED, when)
        self.save()

    def save(self):
        if not self.read_only:
            self.box.save()
