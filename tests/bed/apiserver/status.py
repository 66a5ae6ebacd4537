"""meta/v1 Status bodies for every error, worded like the real API server's."""
from __future__ import annotations

from contextlib import contextmanager

from .errors import (AlreadyExists, Conflict, Forbidden, Invalid, NamespaceTerminating, NotFound,
                     StoreError, WebhookDenied)
from .resources import Resource

_CAUSE_REASONS = {"Required value": "FieldValueRequired", "Invalid value": "FieldValueInvalid",
                  "Duplicate value": "FieldValueDuplicate",
                  "Unsupported value": "FieldValueNotSupported", "Forbidden": "FieldValueForbidden"}


class ApiError(Exception):
    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def body(self) -> dict:
        status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                  "message": self.message, "reason": self.reason, "code": self.code}
        if not self.reason:  # omitempty: a webhook's denial may carry none
            del status["reason"]
        if self.details is not None:
            status["details"] = self.details
        return status


def _details(resource: Resource, name: str) -> dict:
    details = {"name": name, "kind": resource.plural}
    if resource.group:
        details["group"] = resource.group
    return details


def not_found(resource: Resource, name: str) -> ApiError:
    return ApiError(404, "NotFound", f'{resource.qualified} "{name}" not found',
                    _details(resource, name))


def no_route() -> ApiError:
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def method_not_allowed() -> ApiError:
    return ApiError(405, "MethodNotAllowed",
                    "the server does not allow this method on the requested resource", {})


def unsupported_media_type(content_type: str, accepted: tuple[str, ...]) -> ApiError:
    return ApiError(415, "UnsupportedMediaType",
                    f"the body of the request was in an unknown format - accepted media types "
                    f"include: {', '.join(accepted)}", {})


def unsupported_media_type_message(message: str) -> ApiError:
    return ApiError(415, "UnsupportedMediaType", message, {})


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized", "Unauthorized")


def gone(message: str) -> ApiError:
    return ApiError(410, "Expired", message)


def namespace_conflict(name: str) -> ApiError:
    return ApiError(409, "Conflict", f'Operation cannot be fulfilled on namespaces "{name}": The '
                    "system is ensuring all content is removed from this namespace.  Upon "
                    "completion, this namespace will automatically be purged by the system.",
                    {"name": name, "kind": "namespaces"})


def from_store_error(exc: Exception, resource: Resource, name: str) -> ApiError:
    if isinstance(exc, WebhookDenied):
        return ApiError(exc.code, exc.reason, exc.message)
    if isinstance(exc, Invalid):
        return invalid(exc, resource)
    if isinstance(exc, NotFound):
        return not_found(resource, name)
    if isinstance(exc, NamespaceTerminating):
        return namespace_conflict(name)
    if isinstance(exc, AlreadyExists):
        return ApiError(409, "AlreadyExists", f'{resource.qualified} "{name}" already exists',
                        _details(resource, name))
    if isinstance(exc, Conflict):
        return ApiError(409, "Conflict", f'Operation cannot be fulfilled on {resource.qualified} '
                        f'"{name}": {exc.message}', _details(resource, name))
    if isinstance(exc, Forbidden):
        return ApiError(403, "Forbidden", f'{resource.qualified} "{name}" is forbidden: '
                        f"{exc.message}", _details(resource, name))
    raise exc


def invalid(exc: Invalid, resource: Resource) -> ApiError:
    kind, _, group = exc.kind.partition(".")
    causes = [{"reason": _cause_reason(msg), "message": msg, "field": field}
              for field, msg in exc.causes]
    details = {"name": exc.name, "kind": kind, "causes": causes}
    if group:
        details["group"] = group
    return ApiError(422, "Invalid", exc.message, details)


def _cause_reason(message: str) -> str:
    return next((r for prefix, r in _CAUSE_REASONS.items() if message.startswith(prefix)),
                "FieldValueInvalid")


def namespace_missing(namespace: str) -> ApiError:
    return ApiError(404, "NotFound", f'namespaces "{namespace}" not found',
                    {"name": namespace, "kind": "namespaces"})


@contextmanager
def store_errors(resource: Resource, name: str | None):
    """Turn the store's exceptions into the matching Status."""
    try:
        yield
    except (StoreError, Invalid, WebhookDenied) as exc:
        raise from_store_error(exc, resource, name or "") from None
