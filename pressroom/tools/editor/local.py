"""``invoke editor`` (``make editor``): the editor on this machine.

Builds the preview site with the editor (drafts shown, ``/admin/`` talking to
decap-server), serves it at http://127.0.0.1:8000/, runs decap-server on
127.0.0.1 only, in ``fs`` mode (it writes the files into the work tree and
never commits: its ``git`` mode would ``git add .`` every untracked file), and
rebuilds the preview each time a file under ``content/`` changes, for instance
when the officer saves in the editor.
"""

import contextlib
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import watchfiles

from pressroom.build import site
from pressroom.settings import ROOT, setting
from pressroom.tools.editor import EditorError

SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
HOST = "127.0.0.1"


def decap_server_command(repository, port):
    """The command and environment of decap-server in fs mode, listening on 127.0.0.1 only."""
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        raise EditorError("decap-server absent — installez Node.js puis lancez `npm ci` dans le projet")
    environment = dict(
        os.environ, BIND_HOST=HOST, PORT=str(port), MODE="fs", GIT_REPO_DIRECTORY=str(repository), LOG_LEVEL="warn"
    )
    return [node, str(SERVER)], environment


def wait_for_port(port, process, seconds=15):
    """Wait until something listens on 127.0.0.1:port; EditorError if the process ended first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditorError(f"decap-server s'est arrêté (code {process.returncode}) — le port {port} est-il pris ?")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.2):
            return
        time.sleep(0.1)
    raise EditorError(f"decap-server ne répond pas sur {HOST}:{port}")


@contextlib.contextmanager
def decap_server(repository, port=8081, output=None):
    """decap-server running for the duration of the block."""
    command, environment = decap_server_command(repository, port)
    process = subprocess.Popen(command, env=environment, cwd=repository, stdout=output, stderr=output)
    try:
        wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def static_server(folder, port):
    """Serve ``folder`` on 127.0.0.1:port in a thread."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((HOST, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def build_preview(settings_file, out=sys.stderr):
    # No .gz copies: the local server does not send them, and Decap's 6 MB would be compressed on every save.
    return site.build(settings_file, out=out, preview=True, editor_local=True, gzip_copies=False)


def watch_and_rebuild(content, rebuild, out=sys.stderr, stop_event=None):
    """Call ``rebuild()`` after every change under ``content``, until interrupted or ``stop_event`` is set."""
    for changes in watchfiles.watch(content, debounce=500, raise_interrupt=False, stop_event=stop_event):
        names = sorted({os.path.relpath(path, content) for _, path in changes})
        print(f"Modifié : {', '.join(names)} — reconstruction de l'aperçu…", file=out)
        rebuild()


def stop_on_terminate(signum, frame):
    raise KeyboardInterrupt


def run(settings_file="pelicanconf.py", port=8000, out=sys.stderr):
    """Build, then serve the preview and the editor until Ctrl-C (or SIGTERM); return the exit status."""
    signal.signal(signal.SIGTERM, stop_on_terminate)  # so that decap-server is stopped too
    settings = site.load_settings(settings_file)
    output = ROOT / settings["OUTPUT_PATH"]
    server_port = urllib.parse.urlsplit(setting(settings, "EDITOR_LOCAL_URL")).port
    try:
        status = build_preview(settings_file, out)
        if status:
            return status
        with decap_server(ROOT, server_port), static_server(output, port):
            print(f"Aperçu : http://{HOST}:{port}/ — éditeur : http://{HOST}:{port}/admin/ (Ctrl-C pour arrêter)")
            watch_and_rebuild(ROOT / settings["PATH"], functools.partial(build_preview, settings_file, out), out)
    except EditorError as error:
        print(f"Éditeur non lancé : {error}", file=out)
        return 2
    except KeyboardInterrupt:
        pass  # Ctrl-C during a rebuild: the servers are stopped all the same
    print("Éditeur arrêté.", file=out)
    return 0
