"""Small fakes of the three networks' HTTP APIs on 127.0.0.1, for `invoke diffusion` tests: the
Telegram Bot API, a Mastodon server and a Bluesky PDS, each recording every request it receives.

A test scripts failures: ``fake.fail(path_end, status, body, headers)`` answers the next request whose
path ends with ``path_end`` that way once (a 429 with ``retry_after``, a 503…; a status of None
records the request, then closes the connection without an answer: the answer lost); ``fake.refusing``
closes every connection without an answer (a network down)."""

import contextlib
import dataclasses
import email.parser
import email.policy
import http.server
import itertools
import json
import threading


@dataclasses.dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)

    def form(self):
        """{name: text, or (filename, bytes, content type) for a file} of a multipart/form-data body."""
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if part.get_filename():
                fields[name] = (part.get_filename(), payload, part.get_content_type())
            else:
                fields[name] = payload.decode("utf-8")
        return fields


class Fake:
    """A threaded HTTP server on 127.0.0.1 whose ``answer(request)`` gives (status, body dict, headers)."""

    def __init__(self):
        self.requests, self.scripted, self.refusing = [], [], False
        self.lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                fake.serve(self, "GET")

            def do_POST(self):
                fake.serve(self, "POST")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def serve(self, handler, method):
        if self.refusing:
            handler.close_connection = True
            handler.connection.close()
            return
        length = int(handler.headers.get("content-length") or 0)
        request = Request(method, handler.path, {k.lower(): v for k, v in handler.headers.items()}, b"")
        request.body = handler.rfile.read(length)
        with self.lock:
            self.requests.append(request)
            scripted = next((s for s in self.scripted if request.path.endswith(s[0])), None)
            if scripted:
                self.scripted.remove(scripted)
                status, body, headers = scripted[1:]
            else:
                status, body, headers = self.answer(request)
        if status is None:
            handler.close_connection = True
            handler.connection.close()
            return
        data = json.dumps(body).encode()
        handler.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def fail(self, path_end, status, body=None, headers=None):
        with self.lock:
            self.scripted.append((path_end, status, body or {}, headers or {}))

    def to(self, path_end):
        return [request for request in self.requests if request.path.endswith(path_end)]

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class FakeTelegram(Fake):
    """The Bot API for one bot token; ``posts`` are the successful sendMessage/sendPhoto calls."""

    def __init__(self, token):
        super().__init__()
        self.token, self.posts, self.ids = token, [], itertools.count(1)

    def answer(self, request):
        if not request.path.startswith(f"/bot{self.token}/"):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, {}
        method = request.path.rsplit("/", 1)[1]
        if method == "sendMessage":
            self.posts.append(("sendMessage", request.json()))
        elif method == "sendPhoto":
            self.posts.append(("sendPhoto", request.form()))
        else:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}, {}
        return 200, {"ok": True, "result": {"message_id": next(self.ids)}}, {}


class FakeMastodon(Fake):
    """A Mastodon server with one account's token: instance API, media upload, statuses (an
    Idempotency-Key already seen gives back the same status, as Mastodon does)."""

    def __init__(self, token, max_characters=500, processing=0):
        super().__init__()
        self.token, self.max_characters = token, max_characters
        self.processing = processing  # times a new photo is still being processed when asked about (HTTP 206)
        self.media, self.statuses, self.by_key, self.ids = {}, [], {}, itertools.count(1)

    def answer(self, request):
        if request.method == "GET" and request.path == "/api/v2/instance":
            statuses = {"max_characters": self.max_characters, "characters_reserved_per_url": 23}
            return 200, {"uri": "social.example.org", "configuration": {"statuses": statuses}}, {}
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"error": "The access token is invalid"}, {}
        if request.method == "POST" and request.path == "/api/v2/media":
            form = request.form()
            media_id = str(next(self.ids))
            self.media[media_id] = form
            if self.processing:
                return 202, {"id": media_id, "type": "image", "url": None}, {}
            return 200, {"id": media_id, "type": "image", "url": f"{self.url}/m/{media_id}.jpg"}, {}
        if request.method == "GET" and request.path.startswith("/api/v1/media/"):
            media_id = request.path.rsplit("/", 1)[1]
            if self.processing:
                self.processing -= 1
                return 206, {"id": media_id, "type": "image", "url": None}, {}
            return 200, {"id": media_id, "type": "image", "url": f"{self.url}/m/{media_id}.jpg"}, {}
        if request.method == "POST" and request.path == "/api/v1/statuses":
            if any(self.media.get(media_id) is None for media_id in request.json().get("media_ids", [])):
                return 422, {"error": "Validation failed: unknown media"}, {}
            if self.processing:
                return 422, {"error": "Cannot attach files that have not finished processing"}, {}
            key = request.headers.get("idempotency-key")
            if key not in self.by_key:
                status = request.json()
                self.statuses.append(status)
                self.by_key[key] = {"id": str(next(self.ids)), "content": status["status"]}
            return 200, self.by_key[key], {}
        return 404, {"error": "Record not found"}, {}


class FakeBluesky(Fake):
    """A PDS with one account (handle and app password): session, blob upload, record creation."""

    def __init__(self, handle, password):
        super().__init__()
        self.handle, self.password, self.did = handle, password, "did:plc:faketestaccount"
        self.blobs, self.records, self.ids = [], [], itertools.count(1)

    def answer(self, request):
        name = request.path.removeprefix("/xrpc/")
        if name == "com.atproto.server.createSession":
            credentials = request.json()
            if credentials != {"identifier": self.handle, "password": self.password}:
                return 401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, {}
            return 200, {"accessJwt": "jeton-court", "refreshJwt": "r", "did": self.did, "handle": self.handle}, {}
        if request.headers.get("authorization") != "Bearer jeton-court":
            return 401, {"error": "AuthenticationRequired"}, {}
        if name == "com.atproto.repo.uploadBlob":
            self.blobs.append((request.headers.get("content-type"), request.body))
            link = f"bafkreifake{len(self.blobs)}"
            blob = {"$type": "blob", "ref": {"$link": link}, "mimeType": "image/jpeg", "size": len(request.body)}
            return 200, {"blob": blob}, {}
        if name == "com.atproto.repo.createRecord":
            self.records.append(request.json())
            rkey = next(self.ids)
            return 200, {"uri": f"at://{self.did}/app.bsky.feed.post/{rkey}", "cid": f"bafyfake{rkey}"}, {}
        return 400, {"error": "MethodNotImplemented"}, {}


@contextlib.contextmanager
def running(*fakes):
    for fake in fakes:
        fake.start()
    try:
        yield fakes
    finally:
        for fake in fakes:
            fake.stop()
