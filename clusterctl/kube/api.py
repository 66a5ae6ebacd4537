"""A small JSON client over the kubernetes package: it owns config loading, TLS and auth.

Responses stay plain dicts: the client's typed models are strict and slow, and we only read a few fields.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

from clusterctl.errors import ApiUnreachable

UNREACHABLE_HINT = ("is the cluster running? `clusterctl status` shows it; `clusterctl up` starts a stopped kind "
                    "or minikube cluster again and keeps what it holds")


FIELD_MANAGER = "clusterctl"


class Refused(Exception):
    """The API server refused a write: its Status, never the request or response body."""

    def __init__(self, code: int, reason: str, message: str):
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message


class KubeAPI:
    def __init__(self, kubeconfig: Path, context: str):
        from kubernetes import client, config  # deferred: costs ~0.4 s to import

        from clusterctl import runfolder

        self.context = context
        try:
            # new_client_from_config without its shortcut: only load_kube_config takes the files' folder.
            configuration = client.Configuration()
            config.load_kube_config(config_file=str(kubeconfig), context=context, client_configuration=configuration,
                                    temp_file_path=str(runfolder.path()))
            self._client = client.ApiClient(configuration=configuration)
        except Exception as exc:  # the client raises ConfigException or plain errors for a bad kubeconfig
            raise ApiUnreachable(f"cannot use context {context!r} from {kubeconfig}: {exc}")

    def _send(self, method: str, path: str, query: dict | None = None, body: dict | None = None,
              timeout: float | None = 30):
        """The raw urllib3 response (unread), whatever its status."""
        from kubernetes.client.exceptions import ApiException
        from urllib3.exceptions import HTTPError

        headers = {"Accept": "application/json", **({"Content-Type": "application/json"} if body is not None else {})}
        try:
            method, url, headers, body, _ = self._client.param_serialize(
                method, path, query_params=list((query or {}).items()), header_params=headers, body=body,
                auth_settings=["BearerToken"])
            return self._client.call_api(method, url, header_params=headers, body=body,
                                         _request_timeout=timeout).response
        except ApiException as exc:  # TLS failures surface as status 0
            raise ApiUnreachable(f"the API server of context {self.context!r} refused the connection: {exc.reason}")
        except (HTTPError, OSError) as exc:
            raise ApiUnreachable(f"the API server of context {self.context!r} ({self._client.configuration.host}) "
                                 f"does not answer: {_short(exc)}",
                                 hint=UNREACHABLE_HINT)

    def _call(self, path: str, query: dict | None = None, timeout: float | None = 30):
        """The raw urllib3 response (unread) of a GET, or None for 404."""
        response = self._send("GET", path, query, timeout=timeout)
        if response.status == 404:
            # Read to the end first: a pooled connection with the body still unread hands it to the next
            # request as its status line (a POST, which urllib3 does not retry, then fails).
            response.drain_conn()
            response.release_conn()
            return None
        if response.status >= 400:
            body = response.data.decode("utf-8", "replace")
            raise ApiUnreachable(f"GET {path} failed: {response.status} {_status_message(body)}")
        return response

    def write(self, method: str, path: str, body: dict | None = None) -> dict:
        """POST, PUT or DELETE, as field manager clusterctl: the object the server answers.

        A refusal raises Refused with the Status's code, reason and message only: the request carries the
        object (a Secret's data), and neither it nor a response body is ever passed on."""
        query = {"fieldManager": FIELD_MANAGER} if method in ("POST", "PUT") else None
        response = self._send(method, path, query, body)
        try:
            data = response.data
        finally:
            response.release_conn()
        if response.status >= 400:
            raise Refused(response.status, *_status_fields(data, response.reason or ""))
        return json.loads(data)

    def get(self, path: str, query: dict | None = None) -> dict | None:
        response = self._call(path, query)
        return None if response is None else json.loads(response.data)

    def watch(self, path: str, resource_version: str, timeout_s: int) -> Iterator[tuple[str, dict]]:
        """Events after resource_version until the server closes the stream (after timeout_s)."""
        query = {"watch": "true", "resourceVersion": resource_version, "timeoutSeconds": str(timeout_s),
                 "allowWatchBookmarks": "true"}
        response = self._call(path, query, timeout=timeout_s + 10)
        if response is None:
            return
        try:
            buffer = b""
            for chunk in response.stream(4096, decode_content=True):
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        event = json.loads(line)
                        yield event["type"], event["object"]
        except Exception as exc:  # a dying server ends the stream with assorted urllib3/ssl errors
            raise ApiUnreachable(f"the API server of context {self.context!r} stopped answering during a watch: "
                                 f"{_short(exc)}", hint=UNREACHABLE_HINT)
        finally:
            response.release_conn()

    def logs(self, namespace: str, pod: str, container: str, previous: bool, tail: int) -> str:
        query = {"container": container, "tailLines": str(tail)}
        if previous:
            query["previous"] = "true"
        response = self._call(f"/api/v1/namespaces/{namespace}/pods/{pod}/log", query)
        return "" if response is None else response.data.decode("utf-8", "replace")


def _status_message(body: str) -> str:
    try:
        return json.loads(body).get("message", body)
    except ValueError:
        return body[:200]


def _status_fields(data: bytes, phrase: str) -> tuple[str, str]:
    """(reason, message) of a Status body; anything else (a proxy's page, say) is named by its HTTP phrase."""
    try:
        status = json.loads(data)
    except ValueError:
        status = None
    if not isinstance(status, dict) or status.get("kind") != "Status":
        return "", phrase or "refused"
    return str(status.get("reason") or ""), str(status.get("message") or status.get("reason") or phrase)


def _short(exc: BaseException) -> str:
    """urllib3 nests the cause in long reprs; the errno text is what a person needs."""
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    return match.group(1).strip() if match else type(exc).__name__
