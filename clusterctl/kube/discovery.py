"""Find a kind's REST collection through the API's discovery documents, once per group version."""

from __future__ import annotations


class Discovery:
    def __init__(self, api):
        self.api = api
        self._resources: dict[str, dict[str, tuple[str, bool]]] = {}  # apiVersion -> kind -> (plural, namespaced)

    def _load(self, api_version: str) -> dict[str, tuple[str, bool]]:
        if api_version not in self._resources:
            path = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
            listing = self.api.get(path) or {}
            self._resources[api_version] = {
                r["kind"]: (r["name"], bool(r.get("namespaced")))
                for r in listing.get("resources") or [] if "/" not in r.get("name", "")
            }
        return self._resources[api_version]

    def collection(self, api_version: str, kind: str, namespace: str | None) -> str | None:
        """The collection path, or None when the server does not serve that kind (yet)."""
        found = self._load(api_version).get(kind)
        if not found:
            return None
        plural, namespaced = found
        prefix = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        if namespaced and namespace:
            return f"{prefix}/namespaces/{namespace}/{plural}"
        return f"{prefix}/{plural}"
