"""`rclone serve s3` on 127.0.0.1 serving a temporary folder, with a key pair made up here, and the
environment that makes it the destination of `invoke publish` (PUBLISH_BUCKET and its rclone
remote): no external service. Each object is a file under ``Store.folder``."""

import contextlib
import json
import socket
import subprocess
import time

from pressroom.publish import bucket

KEY, SECRET = "cle-essai", "secret-invente-pour-le-test"
BUCKET_NAME, PREFIX = "communiques", "site"
WAIT = 30  # seconds for the server to answer: never a deadline on what is tested


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Store:
    def __init__(self, folder, environ, server_pid):
        self.folder, self.environ, self.server_pid = folder, environ, server_pid

    def keys(self):
        if not self.folder.exists():
            return set()
        return {p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*") if p.is_file()}

    def stamps(self):
        return {key: (self.folder / key).stat().st_ino for key in self.keys()}

    def rclone(self, *arguments):
        """rclone's output for ``arguments`` (``{}`` stands for the bucket's path), as a client of the server."""
        command = [bucket.rclone_binary(), "--config", ""]
        command += [argument.replace("{}", self.environ["PUBLISH_BUCKET"]) for argument in arguments]
        result = subprocess.run(
            command, capture_output=True, text=True, check=True, env=bucket.rclone_environment(self.environ)
        )
        return result.stdout

    def metadata(self):
        """Each object's metadata, read back from the server (not from its folder)."""
        listing = self.rclone("lsjson", "-R", "--files-only", "--metadata", "{}")
        return {item["Path"]: item["Metadata"] for item in json.loads(listing)}


@contextlib.contextmanager
def s3_store(data):
    """The server, its bucket created (the publication never creates one), until the block ends."""
    (data / BUCKET_NAME).mkdir(parents=True)
    port = free_port()
    server = subprocess.Popen(
        [bucket.rclone_binary(), "--config", "", "serve", "s3", "--addr", f"127.0.0.1:{port}"]
        + ["--auth-key", f"{KEY},{SECRET}", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "rclone serve s3 ne répond pas"
                time.sleep(0.1)
        environ = {
            "PUBLISH_BUCKET": f"seau:{BUCKET_NAME}/{PREFIX}",
            "RCLONE_CONFIG_SEAU_TYPE": "s3",
            "RCLONE_CONFIG_SEAU_PROVIDER": "Rclone",
            "RCLONE_CONFIG_SEAU_ENDPOINT": f"http://127.0.0.1:{port}",
            "RCLONE_CONFIG_SEAU_ACCESS_KEY_ID": KEY,
            "RCLONE_CONFIG_SEAU_SECRET_ACCESS_KEY": SECRET,
        }
        yield Store(data / BUCKET_NAME / PREFIX, environ, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=WAIT)
