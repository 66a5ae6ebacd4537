"""Admission on every write: defaulting, then validation (422 Invalid)."""
from __future__ import annotations

from . import defaults, validation
from .errors import Invalid


def admit(obj: dict, old: dict | None) -> None:
    defaults.apply(obj, old)
    causes = validation.validate(obj, old)
    if causes:
        raise Invalid(validation.qualified_kind(obj), obj["metadata"].get("name", ""), causes)
