"""Secret values registered at run time, masked in everything clusterctl prints or raises."""

from __future__ import annotations

_secrets: set[str] = set()
MASK = "******"


def register(value: str | None) -> None:
    # Short values would mask ordinary words; no real token is this short.
    if value and len(value) >= 4:
        _secrets.add(value)


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text
