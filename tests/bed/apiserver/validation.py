"""The subset of API server validation clients run into, with the real messages."""
from __future__ import annotations

import re

from . import selectors

SUBDOMAIN_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1035_RE = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")

SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                 "'-' or '.', and must start and end with an alphanumeric character (e.g. "
                 "'example.com', regex used for validation is "
                 r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
             "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
             "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
               "with an alphabetic character, and end with an alphanumeric character (e.g. "
               "'my-name',  or 'abc-123', regex used for validation is "
               "'[a-z]([-a-z0-9]*[a-z0-9])?')")

_WORKLOADS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}
_PATH_SEGMENT_KINDS = {"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"}

Causes = list[tuple[str, str]]


def qualified_kind(obj: dict) -> str:
    api_version = obj.get("apiVersion", "")
    group = api_version.split("/")[0] if "/" in api_version else ""
    return f"{obj.get('kind')}.{group}" if group else obj.get("kind", "")


def validate(obj: dict, old: dict | None) -> Causes:
    kind = obj.get("kind")
    causes = _name(obj)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if kind == "Pod":
        causes += pod_spec(spec, "spec")
    elif kind in _WORKLOADS:
        causes += _workload(spec, ((old or {}).get("spec") or {}), old is not None)
    elif kind == "Job":
        causes += _job_template(spec.get("template") or {}, "spec.template")
    elif kind == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec") or {}
        causes += _job_template(job.get("template") or {}, "spec.jobTemplate.spec.template")
    elif kind == "Service":
        causes += _service(spec)
    elif kind == "Secret":
        causes += _secret_update(obj, old) + _secret(obj)
    return causes


# ValidateSecret: the keys each type requires (kubernetes/kubernetes pkg/apis/core/validation/validation.go).
_SECRET_KEYS = {"kubernetes.io/dockercfg": [".dockercfg"], "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
                "kubernetes.io/tls": ["tls.crt", "tls.key"]}
_IMMUTABLE_SET = "Forbidden: field is immutable when `immutable` is set"


def _secret_update(obj: dict, old: dict | None) -> Causes:
    """ValidateSecretUpdate: the type never changes; an immutable Secret keeps its data and the flag."""
    if old is None:
        return []
    causes: Causes = []
    if obj.get("type") != old.get("type"):
        causes.append(("type", f'Invalid value: "{obj.get("type")}": field is immutable'))
    if old.get("immutable"):
        if not obj.get("immutable"):
            causes.append(("immutable", _IMMUTABLE_SET))
        if (obj.get("data") or {}) != (old.get("data") or {}):
            causes.append(("data", _IMMUTABLE_SET))
    return causes


def _secret(obj: dict) -> Causes:
    data, type_ = obj.get("data") or {}, obj.get("type")
    if type_ == "kubernetes.io/basic-auth" and "username" not in data and "password" not in data:
        return [("data[username]", "Required value"), ("data[password]", "Required value")]
    if type_ == "kubernetes.io/ssh-auth" and not data.get("ssh-privatekey"):
        return [("data[ssh-privatekey]", "Required value")]
    if type_ == "kubernetes.io/service-account-token" and not (
            (obj["metadata"].get("annotations") or {}).get("kubernetes.io/service-account.name")):
        return [("metadata.annotations[kubernetes.io/service-account.name]", "Required value")]
    return [(f"data[{key}]", "Required value") for key in _SECRET_KEYS.get(type_, []) if key not in data]


def _name(obj: dict) -> Causes:
    meta = obj.get("metadata") or {}
    name = meta.get("name") or ""
    if not name:
        return [("metadata.name", "Required value: name or generateName is required")]
    kind = obj.get("kind")
    if kind in _PATH_SEGMENT_KINDS:
        bad = name in (".", "..") or "/" in name or "%" in name
        return [("metadata.name", f'Invalid value: "{name}": may not contain \'/\' or \'%\'')] \
            if bad else []
    if kind == "Namespace":
        return _dns(name, "metadata.name", LABEL_RE, LABEL_MSG, 63)
    if kind == "Service":
        return _dns(name, "metadata.name", DNS1035_RE, DNS1035_MSG, 63)
    causes = _dns(name, "metadata.name", SUBDOMAIN_RE, SUBDOMAIN_MSG, 253)
    if kind == "CustomResourceDefinition":
        spec = obj.get("spec") or {}
        want = f"{(spec.get('names') or {}).get('plural')}.{spec.get('group')}"
        if name != want:
            causes.append(("metadata.name",
                           f'Invalid value: "{name}": must be spec.names.plural+"."+spec.group'))
    return causes


def _dns(value: str, field: str, regex: re.Pattern, msg: str, max_len: int) -> Causes:
    causes = []
    if len(value) > max_len:
        causes.append((field, f'Invalid value: "{value}": must be no more than {max_len} characters'))
    if not regex.match(value):
        causes.append((field, f'Invalid value: "{value}": {msg}'))
    return causes


def pod_spec(spec: dict, path: str) -> Causes:
    containers = spec.get("containers")
    if not containers:
        return [(f"{path}.containers", "Required value")]
    causes: Causes = []
    seen: set[str] = set()
    for i, c in enumerate(containers):
        field = f"{path}.containers[{i}]"
        name = c.get("name") or ""
        if not name:
            causes.append((f"{field}.name", "Required value"))
        elif name in seen:
            causes.append((f"{field}.name", f'Duplicate value: "{name}"'))
        else:
            causes += _dns(name, f"{field}.name", LABEL_RE, LABEL_MSG, 63)
        seen.add(name)
        if not c.get("image"):
            causes.append((f"{field}.image", "Required value"))
        causes += _lifecycle(c.get("lifecycle"), f"{field}.lifecycle")
    return causes


_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")  # validateHandler's order


def _lifecycle(lifecycle, path: str) -> Causes:
    """validateLifecycle: each hook names exactly one action."""
    causes: Causes = []
    for hook in ("postStart", "preStop"):
        handler = lifecycle.get(hook) if isinstance(lifecycle, dict) else None
        if not isinstance(handler, dict):
            continue
        named = [h for h in _HANDLERS if handler.get(h) is not None]
        if not named:
            causes.append((f"{path}.{hook}", "Required value: must specify a handler type"))
        causes += [(f"{path}.{hook}.{h}", "Forbidden: may not specify more than 1 handler type")
                   for h in named[1:]]
    return causes


def _workload(spec: dict, old_spec: dict, updating: bool) -> Causes:
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    selector = spec.get("selector")
    causes: Causes = []
    if not selector or not (selector.get("matchLabels") or selector.get("matchExpressions")):
        causes.append(("spec.selector", "Required value"))
    if not selector or not selectors.label_selector_matches(selector, labels):
        causes.append(("spec.template.metadata.labels",
                       f"Invalid value: {go_map(labels)}: `selector` does not match template "
                       "`labels`"))
    if updating and selector and old_spec.get("selector") and selector != old_spec["selector"]:
        causes.append(("spec.selector",
                       f"Invalid value: {go_label_selector(selector)}: field is immutable"))
    return causes + pod_spec(template.get("spec") or {}, "spec.template.spec")


def _job_template(template: dict, path: str) -> Causes:
    spec = template.get("spec") or {}
    causes = pod_spec(spec, f"{path}.spec")
    policy = spec.get("restartPolicy") or "Always"
    if policy not in ("OnFailure", "Never"):
        causes.append((f"{path}.spec.restartPolicy",
                       f'Unsupported value: "{policy}": supported values: "OnFailure", "Never"'))
    return causes


def _service(spec: dict) -> Causes:
    ports = spec.get("ports") or []
    headless = spec.get("clusterIP") == "None" or spec.get("type") == "ExternalName"
    if not ports and not headless:
        return [("spec.ports", "Required value")]
    causes: Causes = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        field = f"spec.ports[{i}]"
        number = port.get("port")
        if not number:
            causes.append((f"{field}.port", "Required value"))
        elif not 1 <= int(number) <= 65535:
            causes.append((f"{field}.port",
                           f"Invalid value: {number}: must be between 1 and 65535, inclusive"))
        name = port.get("name") or ""
        if len(ports) > 1 and not name:
            causes.append((f"{field}.name", "Required value"))
        elif name in names:
            causes.append((f"{field}.name", f'Duplicate value: "{name}"'))
        names.add(name)
    return causes


def go_map(labels: dict) -> str:
    inner = ", ".join(f'"{k}":"{v}"' for k, v in sorted(labels.items()))
    return "map[string]string{" + inner + "}" if labels else "map[string]string(nil)"


def go_label_selector(selector: dict) -> str:
    exprs = selector.get("matchExpressions")
    exprs_s = "[]v1.LabelSelectorRequirement(nil)" if not exprs else \
        "[]v1.LabelSelectorRequirement{" + ", ".join(
            f'v1.LabelSelectorRequirement{{Key:"{e.get("key")}", Operator:"{e.get("operator")}", '
            f'Values:[]string{{{", ".join(chr(34) + v + chr(34) for v in e.get("values") or [])}}}}}'
            for e in exprs) + "}"
    return (f"v1.LabelSelector{{MatchLabels:{go_map(selector.get('matchLabels') or {})}, "
            f"MatchExpressions:{exprs_s}}}")
