"""Deployment: one ReplicaSet per pod template, rolled over with RollingUpdate or Recreate."""
from __future__ import annotations

import copy

from . import deployment_status
from .deployment_status import max_unavailable, surge_and_unavailable
from .loop import Controller
from .objects import (APPS, controller_ref, delete, key, owned, owner_key, pod_active,
                      template_hash)

COMPONENT = "deployment-controller"
REVISION = "deployment.kubernetes.io/revision"
HASH_LABEL = "pod-template-hash"


class DeploymentController(Controller):
    watched = frozenset({"Deployment", "ReplicaSet"})

    def keys_for(self, obj):
        if obj["kind"] == "Deployment":
            return [key(obj)]
        owner = owner_key(obj, "Deployment")
        return [owner] if owner else []

    def all_keys(self):
        return [key(d) for d in self.store.list(APPS, "Deployment")]

    def reconcile(self, k):
        d = self.store.get(APPS, "Deployment", *k)
        if d["metadata"].get("deletionTimestamp"):
            return None
        if (lag := self.observing(d)) is not None:
            return lag
        rss = owned(self.store, APPS, "ReplicaSet", d)
        new_rs, olds = self._split(d, rss)
        created = new_rs is None
        if created:
            new_rs = self._create_rs(d, olds)
        new_rs = self._sync_revision(d, new_rs, olds)
        if not d["spec"].get("paused"):
            if d["spec"].get("strategy", {}).get("type") == "Recreate":
                self._recreate(d, new_rs, olds)
            else:
                self._roll(d, new_rs, olds)
            self._prune_history(d, olds)
        new_rs, olds = self._split(d, owned(self.store, APPS, "ReplicaSet", d))
        return deployment_status.sync(self.store, d, new_rs, olds, created)

    # -- which ReplicaSet is new ---------------------------------------------------------------
    def _split(self, d: dict, rss: list[dict]) -> tuple[dict | None, list[dict]]:
        want = template_hash(d["spec"]["template"])
        new = next((rs for rs in rss if _hash_of(rs) == want), None)
        return new, [rs for rs in rss if rs is not new]

    def _create_rs(self, d: dict, olds: list[dict]) -> dict:
        h = template_hash(d["spec"]["template"])
        template = copy.deepcopy(d["spec"]["template"])
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = {**(tmeta.get("labels") or {}), HASH_LABEL: h}
        selector = copy.deepcopy(d["spec"]["selector"])
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}), HASH_LABEL: h}
        rs = {
            "apiVersion": APPS, "kind": "ReplicaSet",
            "metadata": {"name": f"{d['metadata']['name']}-{h}",
                         "namespace": d["metadata"]["namespace"],
                         "labels": tmeta["labels"],
                         "annotations": {REVISION: str(_max_revision(olds) + 1)},
                         "ownerReferences": [controller_ref(d)]},
            "spec": {"replicas": 0, "minReadySeconds": d["spec"].get("minReadySeconds", 0),
                     "selector": selector, "template": template},
        }
        return self.store.create(rs)

    def _sync_revision(self, d: dict, new_rs: dict, olds: list[dict]) -> dict:
        """The new ReplicaSet carries the highest revision; the Deployment mirrors it."""
        newest = _max_revision(olds)
        if _revision(new_rs) <= newest:
            new_rs["metadata"].setdefault("annotations", {})[REVISION] = str(newest + 1)
            new_rs = self.store.update(new_rs)
        wanted = new_rs["metadata"]["annotations"][REVISION]
        if (d["metadata"].get("annotations") or {}).get(REVISION) != wanted:
            d["metadata"].setdefault("annotations", {})[REVISION] = wanted
            self.store.update(d)
        return new_rs

    # -- strategies ----------------------------------------------------------------------------
    def _roll(self, d: dict, new_rs: dict, olds: list[dict]) -> None:
        """rolloutRolling: scale the new ReplicaSet up within maxSurge, or else scale old ones down
        within maxUnavailable; old pods go only as new ones become available."""
        want = d["spec"].get("replicas", 1)
        surge, _ = surge_and_unavailable(d, want)
        total = sum(_replicas(rs) for rs in [new_rs, *olds])
        target = min(_replicas(new_rs), want)
        if target < want and total < want + surge:
            target = min(want, target + want + surge - total)
        if target != _replicas(new_rs):
            self._scale(d, new_rs, target)
            return  # the next sync sees the scaled-up ReplicaSet before scaling any old one down
        self._scale_down_olds(d, new_rs, olds, want - max_unavailable(d))

    def _scale_down_olds(self, d: dict, new_rs: dict, olds: list[dict], min_available: int) -> None:
        """reconcileOldReplicaSets: unhealthy old replicas go first, then healthy ones while
        enough stay available; nothing goes while the new ReplicaSet's pods are unavailable."""
        olds = sorted((rs for rs in olds if _replicas(rs)),
                      key=lambda rs: rs["metadata"].get("creationTimestamp", ""))
        everything = [new_rs, *olds]
        cleanup = sum(_replicas(rs) for rs in everything) - min_available \
            - (_replicas(new_rs) - _available(new_rs))
        if not olds or cleanup <= 0:
            return
        for old in olds:
            cut = min(cleanup, _replicas(old) - _available(old))
            if cut > 0:
                cleanup -= cut
                self._scale(d, old, _replicas(old) - cut)
        budget = sum(_available(rs) for rs in everything) - min_available
        for old in olds:
            cut = min(_replicas(old), budget)
            if cut > 0:
                budget -= cut
                self._scale(d, old, _replicas(old) - cut)

    def _recreate(self, d: dict, new_rs: dict, olds: list[dict]) -> None:
        for old in olds:
            self._scale(d, old, 0)
        old_pods = [p for rs in olds for p in owned(self.store, "v1", "Pod", rs) if pod_active(p)]
        if not old_pods:
            self._scale(d, new_rs, d["spec"].get("replicas", 1))

    def _scale(self, d: dict, rs: dict, replicas: int) -> None:
        before = rs["spec"].get("replicas", 0)
        if before == replicas:
            return
        want = d["spec"].get("replicas", 1)
        rs["spec"]["replicas"] = replicas
        rs["metadata"].setdefault("annotations", {}).update({
            "deployment.kubernetes.io/desired-replicas": str(want),
            "deployment.kubernetes.io/max-replicas": str(want + surge_and_unavailable(d, want)[0]),
        })
        rs.update(self.store.update(rs))
        direction = "up" if replicas > before else "down"
        self.store.record_event(d, "ScalingReplicaSet",
                                f"Scaled {direction} replica set {rs['metadata']['name']} "
                                f"from {before} to {replicas}", component=COMPONENT)

    def _prune_history(self, d: dict, olds: list[dict]) -> None:
        limit = d["spec"].get("revisionHistoryLimit", 10)
        idle = [rs for rs in olds if not rs["spec"].get("replicas")
                and not (rs.get("status") or {}).get("replicas")]
        idle.sort(key=_revision)
        for rs in idle[:max(0, len(idle) - limit)]:
            delete(self.store, rs)


def _replicas(rs: dict) -> int:
    return rs["spec"].get("replicas", 0)


def _available(rs: dict) -> int:
    return (rs.get("status") or {}).get("availableReplicas", 0)


def _hash_of(rs: dict) -> str | None:
    return (rs["metadata"].get("labels") or {}).get(HASH_LABEL)


def _revision(rs: dict) -> int:
    return int((rs["metadata"].get("annotations") or {}).get(REVISION, "0"))


def _max_revision(rss: list[dict]) -> int:
    return max((_revision(rs) for rs in rss), default=0)
