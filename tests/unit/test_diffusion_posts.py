"""The posts of `invoke diffusion`, at each network's limit, counted in its own units, with accented
text and emoji: the chapô cut at a word boundary with « … », the link whole, nothing over the limit."""

import datetime
import io
import os

import httpx
import pytest
from PIL import Image

from pressroom.reach.alert_messages import Release
from pressroom.reach.diffusion import bluesky, mastodon, telegram, transport
from pressroom.reach.diffusion.posts import (
    ELLIPSIS,
    THUMBNAIL_MAX_BYTES,
    Announcement,
    Photo,
    graphemes,
    lead_photo,
    local_file,
    mastodon_length,
    post_text,
    utf16_units,
)

LINK = "https://presse.example.org/2025/02/revalorisation-des-pensions-de-retraite-a-compter-du-1er-mars/"
TITLE = "Revalorisation des pensions 👩🏽‍💻 : l’INPS précise le calendrier"
WORDS = ["Élève", "café", "naïve", "🇲🇱", "Ségou", "👨‍👩‍👧", "prévoyance", "sécurité", "œuvre", "Kayes"]


def chapo(count):
    return " ".join(WORDS[i % len(WORDS)] for i in range(count))


def release(title=TITLE, summary="", link=LINK):
    published = datetime.datetime(2025, 2, 3, 9, 0, tzinfo=datetime.UTC)
    return Release(id="tag:x", link=link, path="/2025/02/x/", title=title, summary=summary, published=published)


def item(summary, photo=None):
    return Announcement(institution=None, release=release(summary=summary), photo=photo)


def test_each_network_counts_in_its_own_units():
    decomposed = "e\u0301"  # « é » written as a letter and its accent
    assert graphemes(decomposed) == 1 and len(decomposed) == 2
    assert graphemes("👩🏽‍💻") == 1 and utf16_units("👩🏽‍💻") == 7
    assert graphemes("🇲🇱") == 1 and utf16_units("🇲🇱") == 4
    assert utf16_units("été") == 3
    assert mastodon_length(23)(f"Voir {LINK}") == len("Voir ") + 23


def parts(text):
    title, *middle, link = text.split("\n\n")
    return title, (middle[0] if middle else ""), link


def assert_cut_at_the_limit(text, summary, limit, length):
    """Within the limit, the link whole, the chapô its first words and « … », and one word more would not fit."""
    assert length(text) <= limit
    title, shown, link = parts(text)
    assert title == TITLE and link == LINK
    assert shown.endswith(ELLIPSIS)
    kept = shown[: -len(ELLIPSIS)].split()
    words = summary.split()
    assert kept == words[: len(kept)] and len(kept) < len(words)
    longer = " ".join(words[: len(kept) + 1]) + ELLIPSIS
    assert length("\n\n".join([title, longer, link])) > limit


@pytest.mark.parametrize(
    "compose, limit, length",
    [
        (lambda summary: telegram.Telegram.text(item(summary)), telegram.MESSAGE_LIMIT, utf16_units),
        (
            lambda summary: telegram.Telegram.text(item(summary, Photo(None, "x"))),
            telegram.CAPTION_LIMIT,
            utf16_units,
        ),
        (lambda summary: mastodon.Mastodon.offline_text(item(summary)), 500, mastodon_length(23)),
        (lambda summary: mastodon.Mastodon.offline_text(item(summary), 11000, 23), 11000, mastodon_length(23)),
        (lambda summary: bluesky.Bluesky.text(item(summary)), bluesky.LIMIT, graphemes),
    ],
    ids=["telegram-message", "telegram-caption", "mastodon-500", "mastodon-11000", "bluesky"],
)
def test_a_long_chapo_is_cut_at_a_word_boundary_just_under_each_limit(compose, limit, length):
    summary = chapo(4000)
    assert_cut_at_the_limit(compose(summary), summary, limit, length)


def test_a_post_exactly_at_the_limit_is_not_cut():
    def post(summary):
        return "\n\n".join([TITLE, summary, LINK])

    count = 1
    while graphemes(post(chapo(count + 1))) < bluesky.LIMIT:
        count += 1
    summary = chapo(count) + " " + "é" * (bluesky.LIMIT - graphemes(post(chapo(count))) - 1)
    assert graphemes(post(summary)) == bluesky.LIMIT
    assert bluesky.Bluesky.text(item(summary)) == post(summary)
    assert bluesky.Bluesky.text(item(summary + "é")) == post(chapo(count) + ELLIPSIS)


def test_mastodon_counts_the_link_as_23_characters_whatever_its_length():
    long_link = LINK + "x" * 400
    text = post_text(TITLE, chapo(60), long_link, 500, mastodon_length(23))
    assert len(text) > 500 and mastodon_length(23)(text) <= 500 and text.endswith(long_link)


def test_a_title_too_long_for_the_network_is_cut_and_the_link_kept():
    title = " ".join(["Sécurité sociale 🇲🇱"] * 60)
    text = post_text(title, chapo(30), LINK, bluesky.LIMIT, graphemes)
    shown_title, link = text.split("\n\n")
    assert link == LINK and shown_title.endswith(ELLIPSIS) and graphemes(text) <= bluesky.LIMIT


def test_the_bluesky_link_facet_is_in_utf8_bytes_after_accents_and_emoji():
    text = bluesky.Bluesky.text(item("Le café 🇲🇱 de l’Élève, à Ségou."))
    facet = bluesky.link_facet(text, LINK)
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert text.encode("utf-8")[start:end] == LINK.encode("utf-8")
    assert start > len(text[: text.index(LINK)])  # bytes, not characters
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}]


def test_a_photo_over_one_megabyte_is_re_encoded_for_the_bluesky_card(tmp_path):
    noise = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    path = tmp_path / "photo.jpg"
    noise.save(path, "JPEG", quality=98)
    assert path.stat().st_size > THUMBNAIL_MAX_BYTES
    data = Photo(path, "Bruit").thumbnail()
    assert len(data) <= THUMBNAIL_MAX_BYTES
    with Image.open(io.BytesIO(data)) as thumbnail:
        assert thumbnail.format == "JPEG"
    small = tmp_path / "petite.jpg"
    Image.new("RGB", (40, 30), "green").save(small, "JPEG")
    assert Photo(small, "").thumbnail() == small.read_bytes()  # small enough: sent as it is


def test_the_wait_asked_by_a_network_is_read_in_each_of_its_forms():
    now = datetime.datetime(2025, 2, 5, 9, 30, tzinfo=datetime.UTC)

    def asked(status=429, **options):
        return transport.wait_asked(httpx.Response(status, **options), now=now)

    assert asked(json={"ok": False, "parameters": {"retry_after": 12}}) == 12
    assert asked(headers={"Retry-After": "30"}) == 30
    assert asked(headers={"Retry-After": "Wed, 05 Feb 2025 09:31:00 GMT"}) == 60
    assert asked(headers={"RateLimit-Reset": str(int(now.timestamp()) + 45)}) == 45
    assert asked(headers={"Retry-After": "demain"}) == transport.DEFAULT_WAIT
    assert asked(text="Too Many Requests") == transport.DEFAULT_WAIT


def test_an_api_address_in_clear_is_refused_except_on_this_machine():
    assert transport.checked_api_url("X", "https://api.telegram.org/") == "https://api.telegram.org"
    assert transport.checked_api_url("X", "http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    for address in ("http://api.telegram.org", "ftp://x.org", "api.telegram.org", "javascript:alert(1)"):
        with pytest.raises(transport.NotSent, match="écrivez une adresse en https://"):
            transport.checked_api_url("TELEGRAM_API_URL", address)


def test_bluesky_s_limit_in_bytes_cuts_a_chapo_of_long_emoji_sequences():
    family = "👨‍👩‍👧‍👦"  # one grapheme, 25 UTF-8 bytes
    summary = " ".join([family] * 400)
    text = bluesky.Bluesky.text(item(summary))
    assert graphemes(text) <= bluesky.LIMIT and len(text.encode("utf-8")) <= bluesky.BYTES_LIMIT
    assert text.endswith(ELLIPSIS + "\n\n" + LINK)


def test_a_photo_is_read_only_from_the_site_itself(tmp_path):
    page = tmp_path / "2025" / "02" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "p.jpg").write_bytes(b"jpeg")
    (tmp_path.parent / "secret.jpg").write_bytes(b"secret")

    def photo_of(source):
        figure = f'<figure class="lead-photo"><img src="{source}" alt="Une photo"></figure>'
        page.write_text(figure, encoding="utf-8")
        return lead_photo(tmp_path, release(link="https://presse.example.org/2025/02/x/"))

    assert photo_of("https://presse.example.org/images/p.jpg") == Photo(tmp_path / "images" / "p.jpg", "Une photo")
    assert photo_of("https://ailleurs.example.org/images/p.jpg") is None
    assert photo_of("https://presse.example.org/../secret.jpg") is None
    assert photo_of("https://presse.example.org/%2e%2e/secret.jpg") is None
    assert photo_of("https://presse.example.org/images/absente.jpg") is None
    assert local_file(tmp_path, "https://presse.example.org/images/p.jpg") == tmp_path / "images" / "p.jpg"
