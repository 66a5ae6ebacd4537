"""Value rules of the profile: each returns the message for an invalid value, or None."""

from __future__ import annotations

import ipaddress
import re

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SECRET_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")
_VERSION = re.compile(r"v[0-9]+\.[0-9]+\.[0-9]+\Z")
_PLATFORM = re.compile(r"[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?\Z")
_STAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_BUILD_SECRET_ID = re.compile(r"[-._a-zA-Z0-9]+\Z")  # no "," or "=": docker reads --secret as CSV key=value
_SECRET_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]*\Z")
_HOST = re.compile(r"([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]+)?\Z")
_PATH_COMPONENT = re.compile(r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*\Z")
_DURATION = re.compile(r"([0-9]+(\.[0-9]+)?)(ms|h|m|s)")
_MEMORY = re.compile(r"([0-9]+)\s*(?:([kmgt])i?b?|(b))?\Z", re.I)
_MEMORY_UNITS = {None: 1, "b": 1 / 1024 / 1024, "k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}
WORKLOAD_KINDS = {
    "deployment": "deployment", "deployments": "deployment", "deploy": "deployment",
    "statefulset": "statefulset", "statefulsets": "statefulset", "sts": "statefulset",
    "daemonset": "daemonset", "daemonsets": "daemonset", "ds": "daemonset",
    "job": "job", "jobs": "job",
}

LABEL_RULE = ("a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, "
              "at most {limit} characters (regex [a-z0-9]([-a-z0-9]*[a-z0-9])?)")
SUBDOMAIN_RULE = ("a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter "
                  "or digit, at most 253 characters")


def dns_label(limit: int = 63):
    def rule(value: str) -> str | None:
        if _LABEL.match(value) and len(value) <= limit:
            return None
        return f'invalid name "{value}": must be {LABEL_RULE.format(limit=limit)}'

    return rule


def dns_subdomain(value: str) -> str | None:
    if _SUBDOMAIN.match(value) and len(value) <= 253:
        return None
    return f'invalid name "{value}": must be {SUBDOMAIN_RULE}'


def env_name(value: str) -> str | None:
    if _ENV_NAME.match(value):
        return None
    return f'invalid environment variable name "{value}": letters, digits and _, not starting with a digit'


def secret_key(value: str) -> str | None:
    if _SECRET_KEY.match(value) and len(value) <= 253:
        return None
    return f'invalid Secret key "{value}": letters, digits, "-", "_" and "." only'


def build_secret_id(value: str) -> str | None:
    if _BUILD_SECRET_ID.match(value):
        return None
    return f'invalid build secret id "{value}": letters, digits, "-", "_" and "." only'


def kubernetes_version(value: str) -> str | None:
    if _VERSION.match(value):
        return None
    hint = f' (did you mean "v{value}"?)' if _VERSION.match(f"v{value}") else ""
    return f'invalid Kubernetes version "{value}": expected vMAJOR.MINOR.PATCH like v1.32.0{hint}'


def platform(value: str) -> str | None:
    return None if _PLATFORM.match(value) else f'invalid platform "{value}": expected os/arch[/variant] like linux/amd64'


def stage(value: str) -> str | None:
    return None if _STAGE.match(value) else f'invalid build target "{value}": a Dockerfile stage name'


def secret_type(value: str) -> str | None:
    return None if _SECRET_TYPE.match(value) else f'invalid Secret type "{value}" (e.g. Opaque, kubernetes.io/tls)'


def ip_address(value: str) -> str | None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return f'invalid listen address "{value}": expected an IP address like 127.0.0.1'
    return None


def extra_arg(value: str) -> str | None:
    return None if value.startswith("--") else f'invalid flag "{value}": each extra argument starts with --'


def registry(value: str) -> str | None:
    """`host[:port][/path]`, the prefix of pushed image names."""
    if "://" in value:
        return f'invalid registry "{value}": drop the scheme, e.g. {value.split("://", 1)[1]}'
    host, slash, path = value.partition("/")
    if not _HOST.match(host) or (slash and _bad_path(path)):
        return f'invalid registry "{value}": expected host[:port][/path] like ghcr.io/tigaweb or localhost:5000'
    return None


def repository(value: str) -> str | None:
    """An image name without tag or digest: `[host[:port]/]path`."""
    last = value.rsplit("/", 1)[-1]
    if "@" in value or ":" in last:
        return f'invalid repository "{value}": leave out the tag; clusterctl tags each build itself'
    first, _, rest = value.partition("/")
    is_host = rest and ("." in first or ":" in first or first == "localhost")
    if (is_host and not _HOST.match(first)) or _bad_path(rest if is_host else value):
        return (f'invalid repository "{value}": expected [host[:port]/]path with lowercase letters, digits '
                "and . _ - separators, like ghcr.io/tigaweb/bff")
    return None


def _bad_path(path: str) -> bool:
    return not all(_PATH_COMPONENT.match(part) for part in path.split("/"))


def duration(value: object) -> float | str:
    """Seconds, or a message: 90s, 5m, 1h30m, 1.5m, 500ms, or a plain number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if value > 0 else f"must be more than 0 seconds, got {value}"
    text = value.strip() if isinstance(value, str) else ""
    if text.isdigit():
        return float(text) if int(text) > 0 else "must be more than 0 seconds"
    parts = _DURATION.findall(text)
    if not text or "".join(number + unit for number, _, unit in parts) != text:
        shown = f'"{value}"' if isinstance(value, str) else str(value)
        return f"invalid duration {shown}: expected a number of seconds or a duration like 90s, 5m, 1h30m"
    scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    seconds = sum(float(number) * scale[unit] for number, _, unit in parts)
    return seconds if seconds > 0 else "must be more than 0 seconds"


def memory_mb(value: object) -> int | str:
    """MiB, or a message: an int is MiB; strings like 4096mb, 4g, 2048 (minikube's units)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else f"must be more than 0 MiB, got {value}"
    match = _MEMORY.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return f"invalid memory {_show(value)}: expected MiB as a number, or a size like 4096mb or 4g"
    unit = (match.group(2) or match.group(3) or "").lower() or None
    mib = int(int(match.group(1)) * _MEMORY_UNITS[unit])
    return mib if mib > 0 else f"invalid memory {_show(value)}: less than 1 MiB"


def workload(value: str) -> str:
    """`deploy/bff` -> `deployment/bff`; raises ValueError with the message when invalid."""
    kind, _, name = value.partition("/")
    canonical = WORKLOAD_KINDS.get(kind.lower())
    if not canonical or not name or dns_subdomain(name):
        kinds = "deployment, statefulset, daemonset, job"
        raise ValueError(f'invalid workload "{value}": expected <kind>/<name> with kind one of {kinds}')
    return f"{canonical}/{name}"


def _show(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)
