"""meta.k8s.io/v1 Table answers, so `kubectl get` prints the columns the real server gives."""
from __future__ import annotations

from .printers import PRINTERS, age, name
from .resources import Resource

TABLE_CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io"


def wants_table(accept: str) -> bool:
    return "as=Table" in (accept or "")


def table(resource: Resource, objects: list[dict], rv: str, with_columns: bool = True) -> dict:
    columns, cells = _printer(resource)
    return {
        "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": rv},
        "columnDefinitions": [_column(*c) for c in columns] if with_columns else [],
        "rows": [{"cells": cells(o), "object": _partial(o)} for o in objects],
    }


def _column(title: str, type_: str = "string", priority: int = 0) -> dict:
    return {"name": title, "type": type_, "format": "name" if title == "Name" else "",
            "description": title, "priority": priority}


def _partial(obj: dict) -> dict:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata", {})}


def _printer(resource: Resource):
    if resource.printer_columns:
        return _custom_printer(resource)
    printer = PRINTERS.get((resource.group, resource.kind))
    if printer:
        return printer
    return [("Name",), ("Age",)], lambda o: [name(o), age(o)]


def _custom_printer(resource: Resource):
    extra = [c for c in resource.printer_columns if c.get("jsonPath") != ".metadata.creationTimestamp"]
    columns = [("Name",)] + [(c["name"], c.get("type", "string"), c.get("priority", 0))
                             for c in extra] + [("Age",)]

    def cells(o: dict) -> list:
        return [name(o)] + [_json_path(o, c.get("jsonPath", "")) for c in extra] + [age(o)]
    return columns, cells


def _json_path(obj, path: str):
    for part in path.lstrip(".").split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return "" if obj is None else obj
