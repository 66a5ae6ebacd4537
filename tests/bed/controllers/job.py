"""Job: run pods to completions, with parallelism, backoffLimit and failure back-off."""
from __future__ import annotations

import time

from tests.bed.apiserver.timefmt import now_rfc3339

from .loop import Controller
from .objects import delete, find_condition, key, owned, owner_key, pod_from_template, pod_ready

BATCH = "batch/v1"
COMPONENT = "job-controller"
_BACKOFF_MESSAGE = "Job has reached the specified backoff limit"
_COMPLETE_MESSAGE = "Reached expected number of succeeded pods"


class JobController(Controller):
    watched = frozenset({"Job", "Pod"})

    def __init__(self, store, opts):
        super().__init__(store, opts)
        self._failures: dict[str, tuple[int, float]] = {}  # job uid -> (failed, when it last grew)

    def keys_for(self, obj):
        if obj["kind"] == "Job":
            return [key(obj)]
        owner = owner_key(obj, "Job")
        return [owner] if owner else []

    def all_keys(self):
        return [key(j) for j in self.store.list(BATCH, "Job")]

    def reconcile(self, k):
        job = self.store.get(BATCH, "Job", *k)
        if job["metadata"].get("deletionTimestamp") or _finished(job):
            return None
        pods = owned(self.store, "v1", "Pod", job)
        active = [p for p in pods if _phase(p) not in ("Succeeded", "Failed")]
        succeeded = sum(1 for p in pods if _phase(p) == "Succeeded")
        failed = sum(1 for p in pods if _phase(p) == "Failed")
        status = dict(job.get("status") or {})
        status.setdefault("startTime", now_rfc3339())
        again = None
        if failed > job["spec"].get("backoffLimit", 6) or _past_limit_on_failure(job, active):
            for pod in active:
                self._delete(job, pod)
            failed, active = failed + len(active), []  # a failed job's running pods count as failed
            self._finish(job, status, "FailureTarget", "Failed", "BackoffLimitExceeded",
                         _BACKOFF_MESSAGE)
        elif _complete(job, succeeded, len(active)):
            self._finish(job, status, "SuccessCriteriaMet", "Complete", "CompletionsReached",
                         _COMPLETE_MESSAGE)
        else:
            active, again = self._manage(job, active, succeeded, failed)
        status.update(active=len(active), succeeded=succeeded, failed=failed,
                      ready=sum(1 for p in active if pod_ready(p)), terminating=0,
                      uncountedTerminatedPods={})
        status = {k: v for k, v in status.items() if v != 0 or k in ("ready", "terminating")}
        if status != job.get("status"):
            self.store.update_status({**job, "status": status})
        return again

    def _manage(self, job: dict, active: list[dict], succeeded: int,
                failed: int) -> tuple[list[dict], float | None]:
        spec = job["spec"]
        parallelism = spec.get("parallelism", 1)
        if spec.get("suspend"):
            want = 0
        elif spec.get("completions") is None:
            want = len(active) if succeeded else parallelism
        else:
            want = max(0, min(parallelism, spec["completions"] - succeeded))
        if len(active) > want:
            for pod in active[want:]:
                self._delete(job, pod)
            return active[:want], None
        wait = self._backoff_left(job, failed)
        if wait > 0 and len(active) < want:
            return active, wait
        for _ in range(want - len(active)):
            pod = self.store.create(pod_from_template(spec["template"], job, labels={
                "batch.kubernetes.io/job-name": job["metadata"]["name"],
                "job-name": job["metadata"]["name"],
                "batch.kubernetes.io/controller-uid": job["metadata"]["uid"],
                "controller-uid": job["metadata"]["uid"]}))
            active.append(pod)
            self.store.record_event(job, "SuccessfulCreate",
                                    f"Created pod: {pod['metadata']['name']}", component=COMPONENT)
        return active, None

    def _backoff_left(self, job: dict, failed: int) -> float:
        """Pod re-creation waits base*2^(failures-1), capped, after the latest failure."""
        uid = job["metadata"]["uid"]
        seen, since = self._failures.get(uid, (0, 0.0))
        if failed != seen:
            seen, since = failed, time.monotonic()
            self._failures[uid] = (seen, since)
        if not failed:
            return 0.0
        delay = min(self.opts.backoff_base * 2 ** (failed - 1), self.opts.backoff_cap)
        return since + delay - time.monotonic()

    def _finish(self, job: dict, status: dict, interim: str, final: str, reason: str,
                message: str) -> None:
        now = now_rfc3339()
        conditions = list(status.get("conditions") or [])
        for type_ in (interim, final):
            if not find_condition(conditions, type_):
                conditions.append({"type": type_, "status": "True", "lastProbeTime": now,
                                   "lastTransitionTime": now, "reason": reason,
                                   "message": message})
        status["conditions"] = conditions
        if final == "Complete":
            status["completionTime"] = now
            self.store.record_event(job, "Completed", "Job completed", component=COMPONENT)
        else:
            self.store.record_event(job, reason, message, "Warning", component=COMPONENT)
        self._failures.pop(job["metadata"]["uid"], None)

    def _delete(self, job: dict, pod: dict) -> None:
        delete(self.store, pod)
        self.store.record_event(job, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}",
                                component=COMPONENT)


def _phase(pod: dict) -> str | None:
    return (pod.get("status") or {}).get("phase")


def _finished(job: dict) -> bool:
    conditions = (job.get("status") or {}).get("conditions")
    return any((find_condition(conditions, t) or {}).get("status") == "True"
               for t in ("Complete", "Failed"))


def _complete(job: dict, succeeded: int, active: int) -> bool:
    completions = job["spec"].get("completions")
    if completions is None:
        return succeeded > 0 and active == 0
    return succeeded >= completions and active == 0


def _past_limit_on_failure(job: dict, active: list[dict]) -> bool:
    """restartPolicy OnFailure: container restarts count toward backoffLimit."""
    if (job["spec"]["template"].get("spec") or {}).get("restartPolicy") != "OnFailure":
        return False
    restarts = sum(cs.get("restartCount", 0) for p in active
                   for cs in ((p.get("status") or {}).get("containerStatuses") or [])
                   + ((p.get("status") or {}).get("initContainerStatuses") or []))
    limit = job["spec"].get("backoffLimit", 6)
    return restarts > 0 if limit == 0 else restarts >= limit
