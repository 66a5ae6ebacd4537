"""The HTTP(S) transport: a threaded HTTP/1.1 server on 127.0.0.1, requests.log, and the API server's
authenticators (a client certificate of the cluster CA, as in kind's kubeconfig, or the bearer token).

Routing and the API semantics live in router.py; this module only moves bytes.
"""
from __future__ import annotations

import hmac
import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import router, status
from .status import ApiError

# Readable without a token, as on a real cluster (system:public-info-viewer).
_PUBLIC = {"/version", "/healthz", "/readyz", "/livez"}


class ApiServer:
    """Serves `store` until stop(). The kubelet sets `log_provider` for pods/log."""

    def __init__(self, store, opts):
        self.store, self.opts = store, opts
        self.log_provider = None
        self.stopping = threading.Event()
        self._token = _read_token(opts.tls_dir)
        self._log_lock = threading.Lock()
        opts.state_dir.mkdir(parents=True, exist_ok=True)
        self._requests_log = open(opts.state_dir / "requests.log", "a", buffering=1)
        self._listen(0)

    def _listen(self, port: int) -> None:
        self.httpd = _HTTPServer(("127.0.0.1", port), _Handler, _tls_context(self.opts.tls_dir))
        self.httpd.api = self
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="bed-apiserver",
                                        kwargs={"poll_interval": 0.2}, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        scheme = "https" if self.opts.tls_dir else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()

    def suspend(self) -> None:
        """The node container stopped: nothing listens any more (connection refused)."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def resume(self, port: int) -> None:
        """The node container started again: listen on `port` (0: a new one, as `127.0.0.1::8443`)."""
        self._listen(port)
        self.start()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
        self._requests_log.close()

    def authorized(self, req: "Request") -> bool:
        if self._token is None or req.path in _PUBLIC or req.client_certificate():
            return True
        header = req.headers.get("Authorization", "")
        return header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), self._token)

    def log_request(self, method: str, target: str, code: int) -> None:
        with self._log_lock:
            if not self._requests_log.closed:
                self._requests_log.write(f"{time.time():.3f} {method} {target} {code}\n")


def _read_token(tls_dir: Path | None) -> str | None:
    return (tls_dir / "token").read_text().strip() if tls_dir else None


def _tls_context(tls_dir: Path | None) -> ssl.SSLContext | None:
    if not tls_dir:
        return None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tls_dir / "server.crt", tls_dir / "server.key")
    # --client-ca-file: a certificate is asked for, optional, and verified against the cluster CA.
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.load_verify_locations(tls_dir / "ca.crt")
    return ctx


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, tls: ssl.SSLContext | None):
        self.tls = tls
        super().__init__(address, handler)

    def finish_request(self, request, client_address):
        # TLS handshakes run in the per-connection thread, never in the accept loop.
        if self.tls is not None:
            request.settimeout(10)
            try:
                request = self.tls.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            request.settimeout(None)
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass  # clients hanging up mid-stream are normal (watch, logs -f)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bed-apiserver"

    def do_GET(self):
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, format, *args):
        pass

    def _serve(self):
        api: ApiServer = self.server.api
        req = Request(self, api)
        try:
            if not api.authorized(req):
                raise status.unauthorized()
            router.dispatch(api, req)
        except ApiError as err:
            req.send_status(err)
        except (BrokenPipeError, ConnectionResetError, socket.timeout, ssl.SSLError):
            self.close_connection = True


class Request:
    """One request and its response helpers."""

    def __init__(self, handler: _Handler, api: ApiServer):
        self._h, self._api = handler, api
        self.method = handler.command
        self.target = handler.path
        parts = urlsplit(handler.path)
        self.path = parts.path.rstrip("/") or "/"
        self.query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.headers = handler.headers
        self._body: bytes | None = None
        self.code: int | None = None
        self.warnings: list[str] = []  # sent as `Warning: 299 - "..."` headers

    def client_certificate(self) -> dict:
        """The verified client certificate's fields; empty without one (or over plain HTTP)."""
        connection = self._h.connection
        return connection.getpeercert() or {} if isinstance(connection, ssl.SSLSocket) else {}

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    def body(self) -> bytes:
        if self._body is None:
            length = int(self.headers.get("Content-Length") or 0)
            self._body = self._h.rfile.read(length) if length else b""
        return self._body

    def json_body(self):
        try:
            return json.loads(self.body() or b"{}")
        except json.JSONDecodeError as exc:
            raise status.bad_request(f"error decoding request body: {exc}") from None

    def send_json(self, code: int, obj, content_type: str = "application/json") -> None:
        self.send_bytes(code, json.dumps(obj).encode(), content_type)

    def send_status(self, err: ApiError) -> None:
        self.body()  # drain, so the connection can be reused
        self.send_json(err.code, err.body())

    def send_bytes(self, code: int, data: bytes, content_type: str) -> None:
        h = self._h
        self._log(code)
        h.send_response(code)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        for text in self.warnings:
            h.send_header("Warning", "299 - " + json.dumps(text))
        h.end_headers()
        if self.method != "HEAD":
            h.wfile.write(data)

    def start_stream(self, content_type: str) -> None:
        h = self._h
        self._log(200)
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.wfile.flush()

    def write_chunk(self, data: bytes) -> None:
        if data:
            self._h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self._h.wfile.flush()

    def end_stream(self) -> None:
        self._h.wfile.write(b"0\r\n\r\n")
        self._h.wfile.flush()

    def _log(self, code: int) -> None:
        self.code = code
        self._api.log_request(self.method, self.target, code)
