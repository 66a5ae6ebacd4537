"""ServiceAccount controller: every namespace gets its `default` ServiceAccount."""
from __future__ import annotations

from tests.bed.apiserver.errors import AlreadyExists, Forbidden

from .loop import Controller


class ServiceAccountController(Controller):
    watched = frozenset({"Namespace", "ServiceAccount"})

    def keys_for(self, obj):
        if obj["kind"] == "Namespace":
            return [obj["metadata"]["name"]]
        return [obj["metadata"].get("namespace")]

    def all_keys(self):
        return [ns["metadata"]["name"] for ns in self.store.list("v1", "Namespace")]

    def reconcile(self, namespace):
        ns = self.store.get("v1", "Namespace", None, namespace)
        if ns["metadata"].get("deletionTimestamp"):
            return None
        try:
            self.store.create({"apiVersion": "v1", "kind": "ServiceAccount",
                               "metadata": {"name": "default", "namespace": namespace}})
        except (AlreadyExists, Forbidden):
            pass
        return None
