"""Label selectors (query strings and LabelSelector objects) and the field selectors clients use."""
from __future__ import annotations

import re

Requirement = tuple[str, str, tuple[str, ...]]  # (key, operator, values)

_SET_RE = re.compile(r"^\s*(\S+)\s+(in|notin)\s+\((.*)\)\s*$")


class BadSelector(ValueError):
    pass


def parse_labels(query: str) -> list[Requirement]:
    return [_term(t) for t in _split_terms(query) if t.strip()]


def _split_terms(query: str) -> list[str]:
    terms, depth, cur = [], 0, ""
    for ch in query:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            terms.append(cur)
            cur = ""
        else:
            cur += ch
    return terms + [cur]


def _term(term: str) -> Requirement:
    term = term.strip()
    m = _SET_RE.match(term)
    if m:
        values = tuple(v.strip() for v in m.group(3).split(",") if v.strip())
        return m.group(1), m.group(2), values
    for op, name in (("!=", "!="), ("==", "="), ("=", "=")):
        if op in term:
            key, value = term.split(op, 1)
            return key.strip(), name, (value.strip(),)
    if term.startswith("!"):
        return term[1:].strip(), "!exists", ()
    if re.fullmatch(r"[A-Za-z0-9./_-]+", term):
        return term, "exists", ()
    raise BadSelector(f"unable to parse requirement: {term}")


def matches(reqs: list[Requirement], labels: dict) -> bool:
    return all(_match(r, labels or {}) for r in reqs)


def _match(req: Requirement, labels: dict) -> bool:
    key, op, values = req
    if op == "=" or op == "in":
        return key in labels and labels[key] in values
    if op == "!=" or op == "notin":
        return labels.get(key) not in values
    if op == "exists":
        return key in labels
    return key not in labels


def from_label_selector(selector: dict) -> list[Requirement]:
    reqs: list[Requirement] = [(k, "=", (v,)) for k, v in (selector.get("matchLabels") or {}).items()]
    ops = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!exists"}
    for e in selector.get("matchExpressions") or []:
        reqs.append((e["key"], ops[e["operator"]], tuple(e.get("values") or ())))
    return reqs


def label_selector_matches(selector: dict, labels: dict) -> bool:
    return matches(from_label_selector(selector), labels)


def field_value(obj: dict, path: str) -> str:
    """A dotted field of the object as the real server's field selectors see it ("" if unset)."""
    value = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def parse_fields(query: str) -> list[tuple[str, bool, str]]:
    """Terms as (field, equal?, value)."""
    out = []
    for term in filter(None, (t.strip() for t in query.split(","))):
        op = "!=" if "!=" in term else "==" if "==" in term else "="
        if op not in term:
            raise BadSelector(f"invalid selector: '{query}'; can't understand '{term}'")
        field, value = term.split(op, 1)
        out.append((field, op != "!=", value))
    return out


def fields_match(terms: list[tuple[str, bool, str]], obj: dict) -> bool:
    return all((field_value(obj, f) == v) == eq for f, eq, v in terms)


def query_matcher(query: dict):
    """Predicate for a request's labelSelector and fieldSelector parameters."""
    labels = parse_labels(query.get("labelSelector", ""))
    fields = parse_fields(query.get("fieldSelector", ""))
    return lambda obj: matches(labels, obj["metadata"].get("labels") or {}) and \
        fields_match(fields, obj)
