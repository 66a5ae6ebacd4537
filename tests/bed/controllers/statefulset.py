"""StatefulSet: pods <name>-0..n-1 created in order and rolled in reverse ordinal order."""
from __future__ import annotations

from tests.bed.apiserver.errors import NotFound

from . import revisions
from .loop import Controller
from .objects import (APPS, available_in, count_available, delete, key, owned, owner_key,
                      pod_active, pod_from_template, pod_ready)

COMPONENT = "statefulset-controller"
REVISION_LABEL = "controller-revision-hash"


class StatefulSetController(Controller):
    watched = frozenset({"StatefulSet", "Pod"})

    def keys_for(self, obj):
        if obj["kind"] == "StatefulSet":
            return [key(obj)]
        owner = owner_key(obj, "StatefulSet")
        return [owner] if owner else []

    def all_keys(self):
        return [key(s) for s in self.store.list(APPS, "StatefulSet")]

    def reconcile(self, k):
        sts = self.store.get(APPS, "StatefulSet", *k)
        if sts["metadata"].get("deletionTimestamp"):
            return None
        if (lag := self.observing(sts)) is not None:
            return lag
        update_rev = revisions.ensure(self.store, sts)["metadata"]["name"]
        current_rev = (sts.get("status") or {}).get("currentRevision") or update_rev
        pods = self._pods(sts)
        self._drop_finished(sts, pods)
        if not self._scale(sts, pods, current_rev, update_rev):
            self._roll(sts, pods, update_rev)
        return self._update_status(sts, current_rev, update_rev)

    def _pods(self, sts: dict) -> dict[int, dict]:
        prefix = sts["metadata"]["name"] + "-"
        out = {}
        for pod in owned(self.store, "v1", "Pod", sts):
            suffix = pod["metadata"]["name"][len(prefix):]
            if suffix.isdigit():
                out[int(suffix)] = pod
        return out

    def _drop_finished(self, sts: dict, pods: dict[int, dict]) -> None:
        """A pod that ended is deleted so that it comes back under the same name; a terminating
        one stays in place until it is gone."""
        for ordinal, pod in list(pods.items()):
            if not pod_active(pod) and not _terminating(pod):
                self._delete(sts, pod)
                del pods[ordinal]

    def _scale(self, sts: dict, pods: dict[int, dict], current_rev: str, update_rev: str) -> bool:
        """Create missing and delete condemned pods; True while that is still under way."""
        want = sts["spec"].get("replicas", 1)
        ordered = sts["spec"].get("podManagementPolicy", "OrderedReady") == "OrderedReady"
        busy = False
        for ordinal in range(want):
            if ordinal not in pods:
                rev = update_rev if ordinal >= _partition(sts) else current_rev
                pods[ordinal] = self._create(sts, ordinal, rev)
                busy = True
            if ordered and not _running_and_ready(pods[ordinal]):
                return True
        for ordinal in sorted((o for o in pods if o >= want), reverse=True):
            self._delete(sts, pods.pop(ordinal))
            busy = True
            if ordered:
                break
        return busy

    def _roll(self, sts: dict, pods: dict[int, dict], update_rev: str) -> None:
        """From the highest ordinal down to the partition: delete the first outdated pod, or stop
        at an updated one that is not yet available. OnDelete pods change only when deleted."""
        strategy = sts["spec"].get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            return
        for ordinal in sorted((o for o in pods if o >= _partition(sts)), reverse=True):
            pod = pods[ordinal]
            if _revision(pod) != update_rev and not _terminating(pod):
                self._delete(sts, pods.pop(ordinal))
                return
            if not self._available(sts, pod):
                return

    def _available(self, sts: dict, pod: dict) -> bool:
        return _running_and_ready(pod) and \
            available_in(pod, sts["spec"].get("minReadySeconds", 0)) == 0

    def _create(self, sts: dict, ordinal: int, rev: str) -> dict:
        name = f"{sts['metadata']['name']}-{ordinal}"
        template = _template_of(self.store, sts, rev)
        pod = pod_from_template(template, sts, name=name, labels={
            REVISION_LABEL: rev, "statefulset.kubernetes.io/pod-name": name,
            "apps.kubernetes.io/pod-index": str(ordinal)})
        pod["spec"]["hostname"] = name
        if sts["spec"].get("serviceName"):
            pod["spec"]["subdomain"] = sts["spec"]["serviceName"]
        made = self.store.create(pod)
        self.store.record_event(sts, "SuccessfulCreate",
                                f"create Pod {name} in StatefulSet {sts['metadata']['name']} "
                                "successful", component=COMPONENT)
        return made

    def _delete(self, sts: dict, pod: dict) -> None:
        name = pod["metadata"]["name"]
        delete(self.store, pod)
        self.store.record_event(sts, "SuccessfulDelete",
                                f"delete Pod {name} in StatefulSet {sts['metadata']['name']} "
                                "successful", component=COMPONENT)

    def _update_status(self, sts: dict, current_rev: str, update_rev: str) -> float | None:
        pods = [p for p in self._pods(sts).values() if pod_active(p)]
        available, wait = count_available(pods, sts["spec"].get("minReadySeconds", 0))
        status = {
            "observedGeneration": sts["metadata"].get("generation", 1),
            "replicas": len(pods),
            "readyReplicas": sum(1 for p in pods if pod_ready(p)),
            "currentReplicas": sum(1 for p in pods if _revision(p) == current_rev),
            "updatedReplicas": sum(1 for p in pods if _revision(p) == update_rev),
            "availableReplicas": available,
            "currentRevision": current_rev,
            "updateRevision": update_rev,
            "collisionCount": 0,
        }
        strategy = sts["spec"].get("updateStrategy") or {}
        rolling = strategy.get("type", "RollingUpdate") == "RollingUpdate"
        if rolling and status["updatedReplicas"] == status["replicas"] == status["readyReplicas"]:
            # completeRollingUpdate: never under OnDelete, nor while a partition holds pods back
            status.update(currentRevision=update_rev, currentReplicas=status["updatedReplicas"])
        status = {k: v for k, v in status.items()
                  if v or k in ("replicas", "availableReplicas", "collisionCount")}
        if status != sts.get("status"):
            self.store.update_status({**sts, "status": status})
        return wait


def _template_of(store, sts: dict, rev: str) -> dict:
    """The template recorded in a revision (older pods keep theirs under a partition)."""
    try:
        data = store.get(APPS, "ControllerRevision", sts["metadata"]["namespace"], rev)["data"]
    except NotFound:
        return sts["spec"]["template"]
    return {k: v for k, v in data["spec"]["template"].items() if k != "$patch"}


def _partition(sts: dict) -> int:
    rolling = (sts["spec"].get("updateStrategy") or {}).get("rollingUpdate") or {}
    return rolling.get("partition", 0) or 0


def _revision(pod: dict) -> str | None:
    return (pod["metadata"].get("labels") or {}).get(REVISION_LABEL)


def _terminating(pod: dict) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def _running_and_ready(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") == "Running" and pod_ready(pod) \
        and not _terminating(pod)
