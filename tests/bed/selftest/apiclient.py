"""An in-process API server and a tiny raw HTTP client for the self-tests."""
from __future__ import annotations

import http.client
import json
from dataclasses import dataclass

from tests.bed.apiserver import admission
from tests.bed.apiserver.bootstrap import bootstrap
from tests.bed.apiserver.server import ApiServer
from tests.bed.apiserver.store import Store
from tests.bed.options import BedOptions


@dataclass
class Reply:
    code: int
    headers: dict
    raw: bytes

    @property
    def json(self):
        return json.loads(self.raw)

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.raw.splitlines() if line.strip()]


class InProcess:
    def __init__(self, state_dir, namespace_delay: float = 0.3):
        self.opts = BedOptions(name="t", flavor="kind", state_dir=state_dir, nodes=["n1"])
        self.store = Store(admission.with_webhooks(state_dir), gc_delay=0.01, namespace_delay=namespace_delay)
        bootstrap(self.store, self.opts)
        self.server = ApiServer(self.store, self.opts)
        self.server.start()

    def close(self) -> None:
        self.server.stop()
        self.store.close()

    def call(self, method: str, path: str, body=None, content_type: str = "application/json",
             headers: dict | None = None, timeout: float = 10) -> Reply:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        all_headers = {"Content-Type": content_type, **(headers or {})}
        try:
            conn.request(method, path, body=data, headers=all_headers)
            resp = conn.getresponse()
            return Reply(resp.status, dict(resp.getheaders()), resp.read())
        finally:
            conn.close()
