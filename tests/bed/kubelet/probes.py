"""Liveness, readiness and startup probes, run inside the container with `docker exec`.

Periods and delays are scaled down to at most a second so that tests stay fast. httpGet and
tcpSocket probes use the image's busybox (wget, nc); without one they count as passing.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

_MISSING = ("executable file not found", "no such file or directory")
_HTTP_STATUS = re.compile(r"HTTP/[\d.]+ (\d{3})")


@dataclass
class Probe:
    kind: str      # "Liveness" | "Readiness" | "Startup"
    spec: dict
    ports: dict[str, int]  # the container's named ports
    pod_ip: str
    started: float = field(default_factory=time.monotonic)
    next_due: float = 0.0
    successes: int = 0
    failures: int = 0
    result: bool | None = None  # None until the thresholds decide

    def __post_init__(self):
        self.next_due = self.started + min(float(self.spec.get("initialDelaySeconds", 0)), 1.0)

    @property
    def period(self) -> float:
        return min(float(self.spec.get("periodSeconds", 10)), 1.0)

    def due(self, now: float) -> bool:
        return now >= self.next_due

    def run(self, docker, container_id: str) -> str | None:
        """Probe once; returns the failure output when this attempt failed."""
        self.next_due = time.monotonic() + self.period
        ok, output = self._attempt(docker, container_id)
        if ok:
            self.successes, self.failures = self.successes + 1, 0
            if self.successes >= int(self.spec.get("successThreshold", 1)):
                self.result = True
            return None
        self.failures, self.successes = self.failures + 1, 0
        if self.failures >= int(self.spec.get("failureThreshold", 3)):
            self.result = False
        return output

    def _attempt(self, docker, container_id: str) -> tuple[bool, str]:
        timeout = min(max(int(self.spec.get("timeoutSeconds", 1)), 1), 2)
        if "exec" in self.spec:
            res = docker.run("exec", container_id, *self.spec["exec"].get("command") or [],
                             timeout=timeout + 5)
            return res.code == 0, (res.out + res.err).strip()
        if "httpGet" in self.spec:
            return self._http(docker, container_id, timeout)
        if "tcpSocket" in self.spec:
            return self._tcp(docker, container_id, timeout)
        return True, ""  # grpc: nothing to run it with

    def _http(self, docker, container_id: str, timeout: int) -> tuple[bool, str]:
        http = self.spec["httpGet"]
        port = self._port(http.get("port"))
        path = http.get("path", "/")
        scheme = http.get("scheme", "HTTP").lower()
        res = docker.run("exec", container_id, "timeout", str(timeout), "wget", "-q", "-O",
                         "/dev/null", f"{scheme}://127.0.0.1:{port}{path}", timeout=timeout + 5)
        output = (res.out + res.err).strip()
        if res.code == 0 or _no_tool(res.code, output):
            return True, ""
        url = f"{scheme}://{self.pod_ip}:{port}{path}"
        status = _HTTP_STATUS.search(output)
        if status:
            return False, f"HTTP probe failed with statuscode: {status.group(1)}"
        if "refused" in output.lower():
            return False, f'Get "{url}": dial tcp {self.pod_ip}:{port}: connect: connection refused'
        return False, f'Get "{url}": context deadline exceeded (Client.Timeout exceeded while ' \
                      "awaiting headers)"

    def _tcp(self, docker, container_id: str, timeout: int) -> tuple[bool, str]:
        port = self._port(self.spec["tcpSocket"].get("port"))
        res = docker.run("exec", container_id, "timeout", str(timeout), "nc", "127.0.0.1",
                         str(port), timeout=timeout + 5)
        output = (res.out + res.err).strip()
        if _no_tool(res.code, output) or "can't connect" not in output:
            return True, ""  # connected (nc then waits for input until `timeout` ends it)
        return False, f"dial tcp {self.pod_ip}:{port}: connect: connection refused"

    def _port(self, port) -> int | str:
        return self.ports.get(port, port) if isinstance(port, str) else port


def _no_tool(code: int, output: str) -> bool:
    return code in (126, 127) and any(m in output.lower() for m in _MISSING)
