"""Bluesky: a session opened with the account's app password, the photo uploaded as a blob, then
one ``app.bsky.feed.post`` record: at most 300 graphemes, a link facet over the address (offsets
in UTF-8 bytes) and an external-link card with the photo as its thumbnail."""

import datetime

from pressroom.reach.diffusion.mastodon import secret_suffix
from pressroom.reach.diffusion.posts import graphemes, post_text
from pressroom.reach.diffusion.transport import NotSent, answer, call, checked_api_url

LIMIT = 300  # graphemes
BYTES_LIMIT = 3000  # and UTF-8 bytes (long emoji sequences reach it before 300 graphemes)
DEFAULT_PDS_URL = "https://bsky.social"
CARD_DESCRIPTION_LIMIT = 300


def length(text):
    """Graphemes, or more than the limit when the text is over Bluesky's limit in bytes."""
    return graphemes(text) if len(text.encode("utf-8")) <= BYTES_LIMIT else LIMIT + 1


def link_facet(text, link):
    """The facet that makes ``link`` in ``text`` a link: its place counted in UTF-8 bytes."""
    start = len(text[: text.rindex(link)].encode("utf-8"))
    return {
        "index": {"byteStart": start, "byteEnd": start + len(link.encode("utf-8"))},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
    }


class Bluesky:
    network = "bluesky"

    def __init__(self, institution, handle, environ, client, sleep, out):
        self.handle, self.client, self.sleep, self.out = handle, client, sleep, out
        self.label = f"Bluesky @{handle} ({institution.acronym})"
        name = f"BLUESKY_APP_PASSWORD_{secret_suffix(institution)}"
        self.password = environ.get(name, "").strip()
        if not self.password:
            raise NotSent(f"{self.label} : {name} absent — ce compte attend son mot de passe d'application")
        self.pds = checked_api_url("BLUESKY_PDS_URL", environ.get("BLUESKY_PDS_URL") or DEFAULT_PDS_URL)
        self.session = None

    @property
    def target(self):
        return self.handle

    @staticmethod
    def text(announcement):
        return post_text(announcement.title, announcement.summary, announcement.link, LIMIT, length)

    offline_text = text

    def post(self, announcement, now=None):
        text = self.text(announcement)
        did, headers = self.open_session()
        card = {
            "uri": announcement.link,
            "title": announcement.title,
            "description": post_text("", announcement.summary, "", CARD_DESCRIPTION_LIMIT, graphemes),
        }
        if announcement.photo:
            card["thumb"] = self.upload(announcement.photo.thumbnail(), headers)
        now = now or datetime.datetime.now(datetime.UTC)
        record = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "langs": ["fr"],
            "facets": [link_facet(text, announcement.link)],
            "embed": {"$type": "app.bsky.embed.external", "external": card},
        }
        body = {"repo": did, "collection": "app.bsky.feed.post", "record": record}
        created = answer(self.call("com.atproto.repo.createRecord", final=True, json=body, headers=headers), self.label)
        if not created.get("uri"):
            raise NotSent(f"{self.label} : réponse sans adresse de publication — nouvel essai au prochain passage")

    def open_session(self):
        """(did, authorization headers) of a session opened once per run."""
        if self.session is None:
            credentials = {"identifier": self.handle, "password": self.password}
            opened = answer(self.call("com.atproto.server.createSession", json=credentials), self.label)
            if not opened.get("accessJwt") or not opened.get("did"):
                raise NotSent(f"{self.label} : session refusée — vérifiez l'identifiant et le mot de passe")
            self.session = (opened["did"], {"Authorization": f"Bearer {opened['accessJwt']}"})
        return self.session

    def upload(self, data, headers):
        response = self.call(
            "com.atproto.repo.uploadBlob", content=data, headers={**headers, "Content-Type": "image/jpeg"}
        )
        blob = answer(response, self.label).get("blob")
        if not isinstance(blob, dict):
            raise NotSent(f"{self.label} : photo refusée sans explication — nouvel essai au prochain passage")
        return blob

    def call(self, method, **options):
        return call(self.client, "POST", f"{self.pds}/xrpc/{method}", self.label, self.sleep, self.out, **options)
