"""Stand-in controllers: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, scheduler,
ServiceAccount and Endpoints, each a reconcile loop over the in-process Store."""
from __future__ import annotations

from typing import Callable

from .daemonset import DaemonSetController
from .deployment import DeploymentController
from .endpoints import EndpointsController
from .job import JobController
from .replicaset import ReplicaSetController
from .scheduler import Scheduler
from .serviceaccounts import ServiceAccountController
from .statefulset import StatefulSetController

_ALL = (ServiceAccountController, Scheduler, DeploymentController, ReplicaSetController,
        StatefulSetController, DaemonSetController, JobController, EndpointsController)


def start_controllers(store, opts) -> Callable[[], None]:
    """Start every controller on its own thread; the returned callable stops them all."""
    controllers = [cls(store, opts) for cls in _ALL]
    for c in controllers:
        c.start()

    def stop() -> None:
        for c in controllers:
            c.stop()
        for c in controllers:
            c.join()

    return stop
