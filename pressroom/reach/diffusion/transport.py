"""HTTPS calls to the networks: a rate limit (HTTP 429, Telegram's ``retry_after``, ``Retry-After``)
is waited for and the call made again, a bounded number of times; anything else that is not a
success raises NotSent with a French reason, and the post stays pending for the next run. When the
request that posts (``final``) was sent but its answer was lost, the post may be online: Uncertain,
never posted again by itself."""

import datetime
import email.utils

import httpx

from pressroom.reach.alerts import is_local

ATTEMPTS = 3  # calls of one request at most, the first included
LONGEST_WAIT = 120  # seconds: a network asking for more is tried again on the next run
DEFAULT_WAIT = 5
TIMEOUT = 30


class NotSent(Exception):
    """A post not made this time; its message is French and it stays pending."""


class Uncertain(Exception):
    """The posting request left but no answer came back: the post may be online; the message is French."""


NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)  # before any byte of the request


def checked_api_url(name, address):
    """An API address from the environment: https, or http on this machine only (tests, a local relay).
    A token never travels in clear."""
    address = address.rstrip("/")
    secure = address.startswith("https://") or (address.startswith("http://") and is_local(address))
    if not secure:
        raise NotSent(f"{name} « {address} » refusée : écrivez une adresse en https://")
    return address


def wait_asked(response, now=None):
    """Seconds the network asks us to wait: Telegram's ``parameters.retry_after``, else the
    ``Retry-After`` header (seconds or a date), else ``RateLimit-Reset`` (a Unix time), else a default."""
    try:
        asked = response.json().get("parameters", {}).get("retry_after")
    except (ValueError, AttributeError):
        asked = None
    if isinstance(asked, int | float) and asked >= 0:
        return float(asked)
    now = now or datetime.datetime.now(datetime.UTC)
    header = response.headers.get("retry-after", "").strip()
    if header.replace(".", "", 1).isdigit():
        return float(header)
    if header:
        try:
            return max(0.0, (email.utils.parsedate_to_datetime(header) - now).total_seconds())
        except (TypeError, ValueError):
            pass
    reset = response.headers.get("ratelimit-reset", "").strip()
    if reset.isdigit():
        return max(0.0, int(reset) - now.timestamp())
    return float(DEFAULT_WAIT)


def reason(response):
    """The network's own words about a refusal, short."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:200].strip()
    if isinstance(data, dict):
        for key in ("description", "error_description", "message", "error"):
            if data.get(key):
                return str(data[key])[:200]
    return ""


def call(client, method, url, label, sleep, out, final=False, **options):
    """One request, made again after each rate-limit wait; the answer when it succeeds, else NotSent
    (Uncertain when ``final``, the request that posts, may have reached the network)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = client.request(method, url, **options)
        except httpx.HTTPError as error:
            if final and not isinstance(error, NOT_SENT_ERRORS):
                raise Uncertain(
                    f"{label} : réponse perdue ({type(error).__name__}), la publication est peut-être en ligne"
                ) from None
            raise NotSent(f"{label} injoignable ({type(error).__name__}) — nouvel essai au prochain passage") from None
        if response.status_code != 429:
            break
        wait = wait_asked(response)
        if wait > LONGEST_WAIT or attempt == ATTEMPTS:
            raise NotSent(
                f"{label} : trop de publications, attente de {wait:.0f} s demandée — nouvel essai au prochain passage"
            )
        print(f"{label} : trop de publications, nouvel essai dans {wait:.0f} s", file=out)
        sleep(wait)
    if response.status_code >= 500:
        raise NotSent(f"{label} : erreur du serveur (HTTP {response.status_code}) — nouvel essai au prochain passage")
    if response.status_code >= 400:
        said = reason(response)
        raise NotSent(f"{label} : publication refusée (HTTP {response.status_code}{' : ' + said if said else ''})")
    return response


def answer(response, label):
    """The JSON object of a success answer; NotSent when it is not one (a proxy's page, a truncated answer)."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise NotSent(f"{label} : réponse illisible (HTTP {response.status_code}) — nouvel essai au prochain passage")
    return data
