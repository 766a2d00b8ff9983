"""Mastodon: the status is written for the server's own limit (its instance API,
``configuration.statuses``), the lead photo uploaded first with its description; an
``Idempotency-Key`` makes a status sent twice after a lost answer appear once."""

import hashlib

from pressroom.content.registry import acronym_slug
from pressroom.reach.diffusion.posts import mastodon_length, post_text
from pressroom.reach.diffusion.transport import NotSent, answer, call, checked_api_url

DEFAULT_LIMIT = 500
DEFAULT_RESERVED_PER_ADDRESS = 23
MEDIA_CHECKS = 10  # a photo still being processed is looked at this many times, a second apart


def secret_suffix(institution):
    """« CMSS », « CNSS_BF »: the acronym as it ends the names of its secrets."""
    return acronym_slug(institution.acronym).upper().replace("-", "_")


class Mastodon:
    network = "mastodon"

    def __init__(self, institution, account, environ, client, sleep, out):
        self.account, self.client, self.sleep, self.out = account, client, sleep, out
        self.label = f"Mastodon {account} ({institution.acronym})"
        suffix = secret_suffix(institution)
        token = environ.get(f"MASTODON_TOKEN_{suffix}", "").strip()
        if not token:
            raise NotSent(f"{self.label} : MASTODON_TOKEN_{suffix} absent — ce compte attend son jeton d'accès")
        server = account.split("/@", 1)[0]  # the account's server, unless its API lives elsewhere
        self.api = checked_api_url(f"MASTODON_API_URL_{suffix}", environ.get(f"MASTODON_API_URL_{suffix}") or server)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.limits = None

    @property
    def target(self):
        return self.account

    def text(self, announcement):
        return self.offline_text(announcement, *self.server_limits())

    @staticmethod
    def offline_text(announcement, limit=DEFAULT_LIMIT, reserved=DEFAULT_RESERVED_PER_ADDRESS):
        """The status for a server of ``limit`` characters (without asking the server: --dry-run)."""
        return post_text(announcement.title, announcement.summary, announcement.link, limit, mastodon_length(reserved))

    def server_limits(self):
        """(characters per status, characters an address counts for) from the instance API, read once;
        the defaults when the server does not say."""
        if self.limits is None:
            try:
                response = self.call("GET", "/api/v2/instance")
                statuses = answer(response, self.label).get("configuration", {}).get("statuses", {})
            except NotSent as error:
                print(f"{error} ; limites par défaut ({DEFAULT_LIMIT} caractères)", file=self.out)
                statuses = {}
            limit = statuses.get("max_characters")
            reserved = statuses.get("characters_reserved_per_url")
            self.limits = (
                limit if isinstance(limit, int) and limit > 0 else DEFAULT_LIMIT,
                reserved if isinstance(reserved, int) and reserved >= 0 else DEFAULT_RESERVED_PER_ADDRESS,
            )
        return self.limits

    def post(self, announcement):
        text = self.text(announcement)
        status = {"status": text, "language": "fr", "visibility": "public"}
        if announcement.photo:
            status["media_ids"] = [self.upload(announcement.photo)]
        key = hashlib.sha256(f"{self.account} {announcement.release.id}".encode()).hexdigest()
        headers = {**self.headers, "Idempotency-Key": key}
        response = self.call("POST", "/api/v1/statuses", final=True, json=status, headers=headers)
        if not answer(response, self.label).get("id"):
            raise NotSent(f"{self.label} : réponse sans identifiant de publication — nouvel essai au prochain passage")

    def upload(self, photo):
        """The media id of the photo, uploaded with its description; waits while the server processes it."""
        response = self.call(
            "POST",
            "/api/v2/media",
            files={"file": (photo.path.name, photo.data(), "image/jpeg")},
            data={"description": photo.alt},
            headers=self.headers,
        )
        media = answer(response, self.label)
        if not media.get("id"):
            raise NotSent(f"{self.label} : photo refusée sans explication — nouvel essai au prochain passage")
        for _ in range(MEDIA_CHECKS):
            if media.get("url") or response.status_code == 200:
                return media["id"]
            self.sleep(1)
            response = self.call("GET", f"/api/v1/media/{media['id']}", headers=self.headers)
            media = answer(response, self.label)
        raise NotSent(f"{self.label} : la photo est encore en traitement — nouvel essai au prochain passage")

    def call(self, method, path, **options):
        return call(self.client, method, f"{self.api}{path}", self.label, self.sleep, self.out, **options)
