"""One thread per pod: start its containers in order, restart them, probe them, report status."""
from __future__ import annotations

import logging
import threading
import time

from tests.bed.apiserver.errors import NotFound

from . import lifecycle, podstatus
from .backoff import go_duration
from .probes import Probe
from .slot import Instance, Slot, exit_state, now_rfc3339

log = logging.getLogger("bed.kubelet")

_IDLE = 5.0
_RECHECK = 10.0  # look at running containers now and then, should a docker event go missing
_GRACE_CAP = 2.0


class PodWorker:
    def __init__(self, kubelet, pod: dict, pod_ip: str, host_ip: str):
        self.k, self.pod = kubelet, pod
        self.uid = pod["metadata"]["uid"]
        self.pod_ip, self.host_ip = pod_ip, host_ip
        opts = kubelet.opts
        self.inits = [Slot(c, True, opts.backoff_base, opts.backoff_cap)
                      for c in pod["spec"].get("initContainers") or []]
        self.apps = [Slot(c, False, opts.backoff_base, opts.backoff_cap)
                     for c in pod["spec"]["containers"]]
        for slot in self.apps if self.inits else []:
            slot.waiting = ("PodInitializing", None)
        self.start_time = now_rfc3339()
        self._published: dict | None = None
        self._exited = False
        self._checked = time.monotonic()
        self._terminating = self._stopping = False
        self._wake = threading.Event()
        self._halt = threading.Event()  # cuts a preStop sleep short when the kubelet stops
        name = f"bed-pod-{pod['metadata']['namespace']}/{pod['metadata']['name']}"
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    # -- signals from the kubelet --------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def update(self, pod: dict) -> None:
        self.pod = pod
        self._wake.set()

    def container_exited(self) -> None:
        self._exited = True
        self._wake.set()

    def terminate(self, pod: dict) -> None:
        """The pod is being deleted: stop its containers gracefully, then remove them."""
        self.pod = pod
        self._terminating = True
        self._wake.set()

    def stop(self) -> None:
        """The kubelet is stopping: just end the thread (the kubelet removes the containers)."""
        self._stopping = True
        self._halt.set()
        self._wake.set()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    # -- the loop ------------------------------------------------------------------------------
    def _run(self) -> None:
        self._publish()
        while not self._stopping:
            if self._terminating:
                self._shut_down()
                return
            try:
                self._sync()
            except Exception:  # keep the pod's thread alive; the traceback explains
                log.exception("syncing pod %s failed", self.pod["metadata"]["name"])
            self._wake.wait(max(0.0, self._next_wake() - time.monotonic()))
            self._wake.clear()

    def _sync(self) -> None:
        if self._exited or time.monotonic() - self._checked > _RECHECK:
            self._exited = False
            self._collect_exits()
        if self._phase() not in ("Succeeded", "Failed"):
            if self._init_done():
                for slot in self.apps:
                    self._step(slot)
        self._publish()

    def _init_done(self) -> bool:
        for slot in self.inits:
            if not slot.completed:
                self._step(slot)
                return False
        for slot in self.apps:
            if slot.waiting == ("PodInitializing", None):
                slot.waiting = ("ContainerCreating", None)
        return True

    def _step(self, slot: Slot) -> None:
        if slot.running:
            if not slot.init:
                self._probe(slot)
            return
        cur = slot.current
        if cur is not None:
            if not self._should_restart(slot, cur.exit):
                slot.waiting = None
                return
            if slot.crash.in_backoff_since(cur.finished):
                self._crash_loop(slot, cur)
                return
            if slot.waiting is None or slot.waiting[0] == "CrashLoopBackOff":
                slot.crash.next()
                slot.waiting, slot.retry_at = None, 0.0
        if time.monotonic() >= slot.retry_at:
            self.k.starter.start(self, slot)

    def _should_restart(self, slot: Slot, exit_: dict) -> bool:
        policy = self.pod["spec"].get("restartPolicy", "Always")
        if slot.init:
            return exit_["exitCode"] != 0 and policy != "Never"
        return policy == "Always" or (policy == "OnFailure" and exit_["exitCode"] != 0)

    def _crash_loop(self, slot: Slot, cur: Instance) -> None:
        meta = self.pod["metadata"]
        who = f"{meta['name']}_{meta['namespace']}({self.uid})"
        message = (f"back-off {go_duration(slot.crash.duration)} restarting failed "
                   f"container={slot.name} pod={who}")
        if slot.waiting != ("CrashLoopBackOff", message):
            slot.waiting = ("CrashLoopBackOff", message)
            self.event("Warning", "BackOff",
                       f"Back-off restarting failed container {slot.name} in pod {who}")
        slot.retry_at = cur.finished + slot.crash.duration

    # -- probes --------------------------------------------------------------------------------
    def _probe(self, slot: Slot) -> None:
        now = time.monotonic()
        cur = slot.current
        startup = slot.probes.get("Startup")
        if startup and startup.result is not True:
            self._run_probe(slot, startup, now)
            return
        liveness = slot.probes.get("Liveness")
        if liveness and self._run_probe(slot, liveness, now) and liveness.result is False:
            return
        readiness = slot.probes.get("Readiness")
        if readiness:
            self._run_probe(slot, readiness, now)
            slot.ready = readiness.result is True
        else:
            slot.ready = now - cur.started >= self.k.opts.ready_after

    def _run_probe(self, slot: Slot, probe: Probe, now: float) -> bool:
        """Run the probe when due; a decided failure of liveness/startup restarts the container."""
        if not probe.due(now):
            return False
        failure = probe.run(self.k.docker, slot.current.id)
        if failure is not None:
            self.event("Warning", "Unhealthy", f"{probe.kind} probe failed: {failure}")
        if probe.result is False and probe.kind != "Readiness":
            self.event("Normal", "Killing", f"Container {slot.name} failed "
                                            f"{probe.kind.lower()} probe, will be restarted")
            self.k.docker.stop([slot.current.id], self._grace())
            self._collect_exits()
        return True

    def arm_probes(self, slot: Slot) -> None:
        ports = {p["name"]: p.get("containerPort") for p in slot.spec.get("ports") or []
                 if p.get("name")}
        kinds = (("Startup", "startupProbe"), ("Liveness", "livenessProbe"),
                 ("Readiness", "readinessProbe"))
        slot.probes = {kind: Probe(kind, slot.spec[field], ports, self.pod_ip)
                       for kind, field in kinds if slot.spec.get(field)}

    # -- exits and shutdown --------------------------------------------------------------------
    def _collect_exits(self) -> None:
        self._checked = time.monotonic()
        live = {s.current.id: s for s in self.inits + self.apps if s.running}
        for info in self.k.docker.inspect(*live):
            if info["State"].get("Running"):
                continue
            slot = live.get(info["Id"])
            if slot is None:
                continue
            slot.current.exit, ago = exit_state(info, self.k.scheme)
            slot.current.finished = time.monotonic() - ago
            slot.ready, slot.probes = False, {}

    def _shut_down(self) -> None:
        """Kill every running container at once, each with the pod's grace period; then remove the
        pod object, which is what finally ends a graceful delete."""
        grace = self._deletion_grace()
        running = [s for s in self.inits + self.apps if s.running]
        killers = [threading.Thread(target=self._kill, args=(slot, grace), daemon=True)
                   for slot in running]
        for thread in killers:
            thread.start()
        for thread in killers:
            thread.join()
        self._collect_exits()
        self._publish()
        self.k.docker.remove([i.id for s in self.inits + self.apps for i in s.instances])
        self.k.remove_pod(self.pod)
        self.k.forget(self)

    def _kill(self, slot: Slot, grace: float) -> None:
        self.event("Normal", "Killing", f"Stopping container {slot.name}")
        lifecycle.kill(self.k.docker, slot.current.id, slot.spec, grace, self._halt,
                       lambda reason, message: self.event("Warning", reason, message))

    def _deletion_grace(self) -> float:
        meta = self.pod["metadata"]
        grace = meta.get("deletionGracePeriodSeconds")
        if grace is None:
            grace = self.pod["spec"].get("terminationGracePeriodSeconds", 30)
        return float(grace)

    def _grace(self) -> float:
        """A liveness restart's stop window (capped so that failure tests stay quick)."""
        return min(float(self.pod["spec"].get("terminationGracePeriodSeconds", 30)), _GRACE_CAP)

    # -- status --------------------------------------------------------------------------------
    def _phase(self) -> str:
        return podstatus.phase(self.pod["spec"], self.inits, self.apps)

    def _publish(self) -> None:
        pod_phase = self._phase()
        before = (self._published or {}).get("conditions") or []
        status = {
            "phase": pod_phase,
            "conditions": podstatus.conditions(pod_phase, self.inits, self.apps, before),
            "hostIP": self.host_ip, "hostIPs": [{"ip": self.host_ip}],
            "podIP": self.pod_ip, "podIPs": [{"ip": self.pod_ip}],
            "startTime": self.start_time,
            "containerStatuses": [s.status(self.k.scheme) for s in self.apps],
        }
        if self.inits:
            status["initContainerStatuses"] = [s.status(self.k.scheme) for s in self.inits]
        if status == self._published:
            return
        was_ready = _ready(self._published)
        if not self._write(status):
            return
        self._published = status
        if _ready(status) and not was_ready:
            self.k.ready_log.record(self.pod)

    def _write(self, status: dict) -> bool:
        store = self.k.store
        meta = self.pod["metadata"]
        with store.lock:
            try:
                live = store.get("v1", "Pod", meta["namespace"], meta["name"])
            except NotFound:
                return False
            if live["metadata"]["uid"] != self.uid:
                return False
            old = live.get("status") or {}
            scheduled = [c for c in old.get("conditions") or [] if c.get("type") == "PodScheduled"]
            merged = {**status, "conditions": status["conditions"] + (scheduled or [
                {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                 "lastTransitionTime": self.start_time}])}
            if "qosClass" in old:
                merged["qosClass"] = old["qosClass"]
            store.update_status({**live, "status": merged})
        return True

    def _next_wake(self) -> float:
        now = time.monotonic()
        times = [now + _IDLE]
        for slot in self.inits + self.apps:
            if slot.running:
                times += [p.next_due for p in slot.probes.values()]
                if not slot.ready and "Readiness" not in slot.probes:
                    times.append(slot.current.started + self.k.opts.ready_after)
            elif slot.retry_at > now:
                times.append(slot.retry_at)
        return min(times)

    def event(self, type_: str, reason: str, message: str) -> None:
        self.k.store.record_event(self.pod, reason, message, type_, "kubelet")


def _ready(status: dict | None) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True"
               for c in (status or {}).get("conditions") or [])
