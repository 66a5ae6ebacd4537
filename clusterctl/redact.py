"""Secret values registered at run time, masked in everything clusterctl prints or raises.

A value is registered with every form tools and encoders derive from it (base64, URL and JSON escapes,
each line of a multi-line value); `clusterctl.secrets.register_profile_secrets` registers a profile's
values once, up front, for every verb. Text is masked by one compiled pattern in one pass; documents are
masked string by string (`scrub`, `dumps`) before they are encoded or handed to rich.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import urllib.parse

MASK = "******"
MIN_LENGTH = 4  # a shorter form would mask ordinary words; clusterctl.secrets refuses such values

_forms: frozenset[str] = frozenset()
_pattern: re.Pattern[str] | None = None


def _base64(data: bytes) -> set[str]:
    """The base64 of data on its own, and at each of the 3 alignments it can have inside a longer stream (a
    whole .dockerconfigjson, say): there only the characters made of data's bits alone are fixed."""
    found = {base64.b64encode(data).decode()}
    for shift in range(3):
        encoded = base64.b64encode(bytes(shift) + data).decode()
        found.add(encoded[(8 * shift + 5) // 6:8 * (shift + len(data)) // 6])
    return found


def _json(text: str) -> set[str]:
    ascii_ = json.dumps(text)[1:-1]
    utf8 = json.dumps(text, ensure_ascii=False)[1:-1]
    # Go's encoding/json (kubectl, docker) keeps UTF-8 but escapes <, >, &, U+2028 and U+2029 (HTMLEscape).
    go = utf8
    for char in "<>&\u2028\u2029":
        go = go.replace(char, f"\\u{ord(char):04x}")
    return {ascii_, utf8, go, json.dumps(ascii_)[1:-1]}  # the last: JSON inside a JSON string


def forms(value: str) -> set[str]:
    """Every text a value can reach output as."""
    quoted = {urllib.parse.quote(value, safe=""), urllib.parse.quote(value), urllib.parse.quote_plus(value)}
    found = {value, *quoted, *_json(value), *_base64(value.encode())}
    lines = [line.strip() for line in value.splitlines()]
    if len(lines) > 1:  # a PEM key: streams and log tails show it one line at a time
        for line in lines:
            found |= {line, *_json(line)}
    return _long(found)


def _long(found: set[str]) -> set[str]:
    return {form for form in found if len(form) >= MIN_LENGTH}


def _add(new: set[str]) -> None:
    global _forms, _pattern
    if not new <= _forms:
        _forms, _pattern = _forms | new, None  # compiled on the next use: a profile registers many at once


def _trie(forms: frozenset[str]) -> str:
    """One pattern for all forms, as a trie: a line costs about the same with 5 forms or 5,000, where a
    flat `a|b|c` alternation tries every form at every position. Greedy, so the longest form wins."""
    root: dict = {}
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        chain = ""  # a run of single-child nodes, walked in a loop: a PEM key is thousands deep
        while len(node) == 1 and "" not in node:
            char, node = next(iter(node.items()))
            chain += re.escape(char)
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return chain
        return chain + f"(?:{'|'.join(branches)})" + ("?" if "" in node else "")
    return emit(root)


def register(value: str | None) -> None:
    if value and len(value) >= MIN_LENGTH:
        _add(forms(value))


def register_credentials(user: str, token: str) -> None:
    """A registry token, and the base64 of `user:token` that docker's config.json and a pull secret's
    `auth` field hold."""
    if token and len(token) >= MIN_LENGTH:
        _add(forms(token) | _long(_base64(f"{user}:{token}".encode())))


def redact(text: str) -> str:
    global _pattern
    if not _forms or not text:
        return text
    pattern = _pattern
    if pattern is None:
        pattern = _pattern = re.compile(_trie(_forms))
    return pattern.sub(MASK, text)


def scrub(value):
    """A copy of a document (dicts, lists, tuples, dataclasses) with every string masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(scrub(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: scrub(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    return value


def dumps(document, **options) -> str:
    """JSON of a document masked string by string first: encoding escapes `"` and `\\`, so masking the
    encoded text would miss a value that holds them."""
    return json.dumps(scrub(document), **options)
