"""Known, expected failures: each carries a message a dispatcher or IT person can act on."""

from __future__ import annotations


class KnownError(Exception):
    """A failure the user can understand and act on (as opposed to a bug)."""


class InvalidEvent(KnownError):
    """An inbound payload that cannot become a `cc.event/1` (goes to quarantine)."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        self.reason = reason
        self.field = field
        super().__init__(f"{field}: {reason}" if field else reason)


class IllegalTransition(KnownError):
    """A case action that its current state does not allow."""


class StaleCase(KnownError):
    """The case changed since the dispatcher loaded it (optimistic `version` check)."""


class NotPermitted(KnownError):
    """The actor's role does not allow the action."""
