"""Store errors; the HTTP layer turns each into a Status body."""
from __future__ import annotations


class StoreError(Exception):
    def __init__(self, kind: str = "", name: str = "", message: str = ""):
        super().__init__(message or f'{kind} "{name}"')
        self.kind, self.name, self.message = kind, name, message or str(self)


class NotFound(StoreError):
    pass


class AlreadyExists(StoreError):
    pass


class Conflict(StoreError):
    pass


class NamespaceTerminating(StoreError):
    """A second DELETE of a Namespace whose content is still being removed (409)."""


class Forbidden(StoreError):
    """Create in a Terminating namespace (the real server answers 403)."""


class Invalid(Exception):
    """Carries (field_path, message) causes for a 422 Status; `kind` is e.g. "Deployment.apps"."""

    def __init__(self, kind: str, name: str, causes: list[tuple[str, str]]):
        self.kind, self.name, self.causes = kind, name, causes
        details = [f"{field}: {msg}" if field else msg for field, msg in causes]
        body = details[0] if len(details) == 1 else "[" + ", ".join(details) + "]"
        self.message = f'{kind} "{name}" is invalid: {body}'
        super().__init__(self.message)


class WebhookDenied(Exception):
    """A validating admission webhook said no: its Status as ToStatusErr builds it (no details)."""

    def __init__(self, code: int, reason: str, message: str):
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message
