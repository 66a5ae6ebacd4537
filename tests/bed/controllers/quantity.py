"""Kubernetes resource quantities ("250m", "1.5", "128Mi", "1G", "1e3") as numbers."""
from __future__ import annotations

import re

_SUFFIX = {
    "": 1, "m": 1e-3, "u": 1e-6, "n": 1e-9, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15,
    "E": 1e18, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}
_RE = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$")


def parse(value) -> float:
    """The quantity in base units (cores, bytes); ValueError when it is not one."""
    if isinstance(value, (int, float)):
        return float(value)
    m = _RE.match(str(value).strip())
    if not m:
        raise ValueError(f"quantities must match the regular expression "
                         f"'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': {value!r}")
    number, exponent, suffix = m.groups()
    if exponent:
        return float(number + exponent)
    return float(number) * _SUFFIX[suffix or ""]


def pod_requests(pod_spec: dict) -> dict[str, float]:
    """Effective requests: the containers' sum, or the largest init container when larger.

    A container with limits but no requests requests its limits, as the API server defaults.
    """
    def requests(container: dict) -> dict[str, float]:
        res = container.get("resources") or {}
        merged = {**(res.get("limits") or {}), **(res.get("requests") or {})}
        return {k: parse(v) for k, v in merged.items()}

    total: dict[str, float] = {}
    for c in pod_spec.get("containers") or []:
        for name, amount in requests(c).items():
            total[name] = total.get(name, 0.0) + amount
    for c in pod_spec.get("initContainers") or []:
        for name, amount in requests(c).items():
            total[name] = max(total.get(name, 0.0), amount)
    return total
