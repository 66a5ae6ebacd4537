"""Decodes the Kubernetes protobuf bodies that kubectl's typed clients send.

`kubectl create namespace|configmap|secret|serviceaccount|deployment|service|job` post
`application/vnd.kubernetes.protobuf` and do not fall back to JSON on a 415, so the kinds those
generators make are decoded here (only the fields they can set). Answers stay JSON, which the
clients accept.
"""
from __future__ import annotations

import base64

CONTENT_TYPE = "application/vnd.kubernetes.protobuf"
_MAGIC = b"k8s\x00"


class ProtobufError(ValueError):
    pass


# Schemas: field number -> (json name, type[, sub-schema or map value type]).
_STR = "str"
META = {1: ("name", _STR), 2: ("generateName", _STR), 3: ("namespace", _STR),
        11: ("labels", "map", _STR), 12: ("annotations", "map", _STR), 14: ("finalizers", "strs")}
_REF = {1: ("name", _STR)}
_INT_OR_STRING = "intstr"
_SELECTOR = {1: ("matchLabels", "map", _STR),
             2: ("matchExpressions", "msgs", {1: ("key", _STR), 2: ("operator", _STR),
                                              3: ("values", "strs")})}
_CONTAINER = {
    1: ("name", _STR), 2: ("image", _STR), 3: ("command", "strs"), 4: ("args", "strs"),
    5: ("workingDir", _STR),
    6: ("ports", "msgs", {1: ("name", _STR), 2: ("hostPort", "int"), 3: ("containerPort", "int"),
                          4: ("protocol", _STR)}),
    7: ("env", "msgs", {1: ("name", _STR), 2: ("value", _STR)}), 14: ("imagePullPolicy", _STR),
}
_POD_SPEC = {2: ("containers", "msgs", _CONTAINER), 3: ("restartPolicy", _STR),
             8: ("serviceAccountName", _STR), 15: ("imagePullSecrets", "msgs", _REF),
             20: ("initContainers", "msgs", _CONTAINER)}
_TEMPLATE = {1: ("metadata", "msg", META), 2: ("spec", "msg", _POD_SPEC)}
_DEPLOYMENT_SPEC = {
    1: ("replicas", "ptr"), 2: ("selector", "msg", _SELECTOR), 3: ("template", "msg", _TEMPLATE),
    4: ("strategy", "msg", {1: ("type", _STR), 2: ("rollingUpdate", "msg", {
        1: ("maxUnavailable", _INT_OR_STRING), 2: ("maxSurge", _INT_OR_STRING)})}),
    5: ("minReadySeconds", "int"), 6: ("revisionHistoryLimit", "ptr"),
    9: ("progressDeadlineSeconds", "ptr"),
}
_SERVICE_SPEC = {
    1: ("ports", "msgs", {1: ("name", _STR), 2: ("protocol", _STR), 3: ("port", "int"),
                          4: ("targetPort", _INT_OR_STRING), 5: ("nodePort", "int")}),
    2: ("selector", "map", _STR), 3: ("clusterIP", _STR), 4: ("type", _STR),
    10: ("externalName", _STR),
}
_JOB_SPEC = {1: ("parallelism", "ptr"), 2: ("completions", "ptr"),
             6: ("template", "msg", _TEMPLATE), 7: ("backoffLimit", "ptr")}

KINDS = {
    ("v1", "Namespace"): {1: ("metadata", "msg", META),
                          2: ("spec", "msg", {1: ("finalizers", "strs")})},
    ("v1", "ConfigMap"): {1: ("metadata", "msg", META), 2: ("data", "map", _STR),
                          3: ("binaryData", "map", "b64"), 4: ("immutable", "bool")},
    ("v1", "Secret"): {1: ("metadata", "msg", META), 2: ("data", "map", "b64"), 3: ("type", _STR),
                       4: ("stringData", "map", _STR), 5: ("immutable", "bool")},
    ("v1", "ServiceAccount"): {1: ("metadata", "msg", META),
                               3: ("imagePullSecrets", "msgs", _REF),
                               4: ("automountServiceAccountToken", "bool")},
    ("v1", "Service"): {1: ("metadata", "msg", META), 2: ("spec", "msg", _SERVICE_SPEC)},
    ("apps/v1", "Deployment"): {1: ("metadata", "msg", META),
                                2: ("spec", "msg", _DEPLOYMENT_SPEC)},
    ("batch/v1", "Job"): {1: ("metadata", "msg", META), 2: ("spec", "msg", _JOB_SPEC)},
}


def decode(body: bytes) -> dict:
    """The envelope is runtime.Unknown: typeMeta{apiVersion, kind}, raw object bytes."""
    if not body.startswith(_MAGIC):
        raise ProtobufError("protobuf body without the k8s envelope")
    envelope = {n: v for n, _, v in _fields(body[len(_MAGIC):])}
    type_meta = {n: v.decode() for n, _, v in _fields(envelope.get(1, b""))}
    api_version, kind = type_meta.get(1, ""), type_meta.get(2, "")
    schema = KINDS.get((api_version, kind))
    if schema is None:
        raise ProtobufError(f"protobuf bodies of {kind} ({api_version}) are not supported by the "
                            "bed's API server; send JSON")
    return {"apiVersion": api_version, "kind": kind, **_message(envelope.get(2, b""), schema)}


_DELETE_OPTIONS = {1: ("gracePeriodSeconds", "ptr"), 4: ("propagationPolicy", _STR),
                   5: ("dryRun", "strs")}


def delete_options(body: bytes) -> dict:
    """DeleteOptions, whatever the envelope's type meta says."""
    if not body.startswith(_MAGIC):
        raise ProtobufError("protobuf body without the k8s envelope")
    envelope = {n: v for n, _, v in _fields(body[len(_MAGIC):])}
    return _message(envelope.get(2, b""), _DELETE_OPTIONS)


def _message(buf: bytes, schema: dict) -> dict:
    out: dict = {}
    for number, wire, value in _fields(buf):
        if number not in schema:
            continue
        name, type_, *sub = schema[number]
        if type_ == "map":
            entry = {n: v for n, _, v in _fields(value)}
            raw = entry.get(2, b"")
            out.setdefault(name, {})[entry.get(1, b"").decode()] = \
                base64.b64encode(raw).decode() if sub[0] == "b64" else raw.decode()
        elif type_ == "strs":
            out.setdefault(name, []).append(value.decode())
        elif type_ == "msgs":
            out.setdefault(name, []).append(_message(value, sub[0]))
        else:
            decoded = _scalar(type_, wire, value, sub)
            if decoded is not None and decoded != "" and decoded != {}:
                out[name] = decoded
    return out


def _scalar(type_: str, wire: int, value, sub: list):
    if type_ == _STR:
        return value.decode()
    if type_ in ("int", "ptr"):
        number = value - (1 << 64) if value >= 1 << 63 else value
        return None if type_ == "int" and number == 0 else number  # Go ints are never nil
    if type_ == "bool":
        return bool(value)
    if type_ == "msg":
        return _message(value, sub[0])
    if type_ == _INT_OR_STRING:
        parts = {n: v for n, _, v in _fields(value)}
        return parts.get(3, b"").decode() if parts.get(1) == 1 else parts.get(2) or None
    raise ProtobufError(f"unknown schema type {type_}")


def _fields(buf: bytes):
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, pos = int.from_bytes(buf[pos:pos + size], "little"), pos + size
        else:
            raise ProtobufError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(buf):
            raise ProtobufError("truncated protobuf body")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
