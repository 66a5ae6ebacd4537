"""Has a live object drifted from what clusterctl rendered for it?

A hand edit (`kubectl edit`, `scale`, `set image`, `rollout undo`) keeps clusterctl's content-hash
annotation, so the annotation only says what was last applied, not what is there now. The live object
is compared field by field instead, on the fields the render sets: those are the fields `kubectl apply`
owns and would put back. Whatever the server or a controller adds (defaults, status, other annotations)
is not drift; neither is a field added by hand that the render does not set, which apply would keep too.
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal, InvalidOperation

_SERVER_OWNED = {"apiVersion", "kind", "status"}
# Resource quantities come back canonical: `0.5` is stored as `500m`, `1024Mi` as `1Gi`.
_QUANTITY = re.compile(r"([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?")
_SCALE = {"m": Decimal("0.001"), "k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "G": Decimal(10) ** 9,
          "T": Decimal(10) ** 12, "P": Decimal(10) ** 15, "E": Decimal(10) ** 18,
          **{s: Decimal(2) ** (10 * i) for i, s in enumerate(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"), 1)}}


def drift(rendered: dict, live: dict) -> str | None:
    """The first field path where live no longer holds the rendered value, or None."""
    rendered = _as_stored(rendered)
    for key, want in rendered.items():
        if key in _SERVER_OWNED:
            continue
        found = _differs(want, live.get(key), key)
        if found:
            return found
    return None


def _differs(want, have, path: str) -> str | None:
    if isinstance(want, dict):
        if not isinstance(have, dict):
            return path
        for key, value in want.items():
            found = _differs(value, have.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(want, list):
        # Same length or longer (the server may append defaults); each item holds what was rendered.
        if not isinstance(have, list) or len(have) < len(want):
            return path
        for i, (w, h) in enumerate(zip(want, have)):
            found = _differs(w, h, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if _same_scalar(want, have, ".resources." in path) else path


def _same_scalar(want, have, quantity: bool) -> bool:
    if want == have:
        return True
    if want is None or have is None:
        return False
    if quantity:
        return _quantity(want) is not None and _quantity(want) == _quantity(have)
    return str(want) == str(have)  # YAML's 1.0 or "80" against what JSON brings back


def _quantity(value) -> Decimal | None:
    match = _QUANTITY.fullmatch(str(value))
    if not match:
        return None
    try:
        return Decimal(match[1]) * _SCALE.get(match[2] or "", Decimal(1))
    except InvalidOperation:
        return None


def _as_stored(obj: dict) -> dict:
    """The render as the server keeps it: a Secret's stringData is folded into data."""
    if obj.get("kind") != "Secret" or not obj.get("stringData"):
        return obj
    stored = {k: v for k, v in obj.items() if k != "stringData"}
    data = dict(obj.get("data") or {})
    data.update({k: base64.b64encode(str(v).encode()).decode() for k, v in obj["stringData"].items()})
    stored["data"] = data
    return stored
