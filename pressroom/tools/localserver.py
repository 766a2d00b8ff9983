"""A small HTTP server for a built site on 127.0.0.1, that gzips text as our nginx sends it:
the browser tests and the 2G reading measure (``invoke bench``) read the site through it."""

import contextlib
import functools
import gzip
import http.server
import pathlib
import threading

COMPRESSED_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
)


class GzipRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzip-compressing text types when the browser accepts it."""

    def do_GET(self):
        path = pathlib.Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not path.is_file():
            return super().do_GET()
        body, content_type = path.read_bytes(), self.guess_type(str(path))
        self.send_response(200)
        if content_type.startswith(COMPRESSED_TYPES) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=9)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder, port=0):
    """Serve a folder on 127.0.0.1 (a random free port unless given) in a thread; yields the base
    URL. The server has stopped once the block ends."""
    handler = functools.partial(GzipRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
