"""Admission on every write: defaulting, then validation (422 Invalid), then validating webhooks.

Webhooks are a test's knob: `<state dir>/webhooks.json`, read on every write, lists the webhooks that
deny, each as `{"name", "operations": ["CREATE"|"UPDATE"], "resources": [plural], "status": {"code",
"reason", "message"}}` (what the webhook would answer). The denial is worded as kubernetes/apiserver
`pkg/admission/plugin/webhook/errors/statuserror.go` ToStatusErr @ v0.36.1 words it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from . import defaults, validation
from .errors import Invalid, WebhookDenied
from .resources import BUILTIN


def admit(obj: dict, old: dict | None) -> None:
    defaults.apply(obj, old)
    causes = validation.validate(obj, old)
    if causes:
        raise Invalid(validation.qualified_kind(obj), obj["metadata"].get("name", ""), causes)


def with_webhooks(state_dir: Path) -> Callable[[dict, dict | None], None]:
    def admit_then_ask(obj: dict, old: dict | None) -> None:
        admit(obj, old)  # the webhooks see only objects that passed validation
        path = state_dir / "webhooks.json"
        operation = "CREATE" if old is None else "UPDATE"
        for hook in json.loads(path.read_text()) if path.exists() else []:
            if operation in hook.get("operations", []) and _plural(obj) in hook.get("resources", []):
                raise _denied(hook["name"], hook.get("status") or {})
    return admit_then_ask


def _plural(obj: dict) -> str:
    return next((r.plural for r in BUILTIN if (r.api_version, r.kind) == (obj.get("apiVersion"), obj.get("kind"))),
                f"{obj.get('kind', '').lower()}s")


def _denied(name: str, status: dict) -> WebhookDenied:
    denied_by = f'admission webhook "{name}" denied the request'
    code = max(status.get("code") or 0, 400)  # never a rejection below 400
    reason = status.get("reason") or ""
    explained = status.get("message") or reason
    return WebhookDenied(code, reason, f"{denied_by}: {explained}" if explained else f"{denied_by} without explanation")
