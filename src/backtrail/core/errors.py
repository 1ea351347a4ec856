"""Every failure has a name and an outcome: transient ones are retried, permanent ones are not."""


class BacktrailError(Exception):
    """Base of every error backtrail raises on purpose; its message is shown to the user."""


class TransientError(BacktrailError):
    """Retrying later may succeed (throttling, a network blip): leave the message for redelivery."""


class PermanentError(BacktrailError):
    """Retrying cannot help (no such bucket, access denied, unreadable object)."""


class ConfigError(PermanentError):
    """A setting, URL or argument is wrong; raised before anything is touched."""


class BadMessage(PermanentError):
    """A queue message is not a notification backtrail understands."""


class QueryError(BacktrailError):
    """A search or SQL statement is invalid or not allowed."""


class NotFound(QueryError):
    """What a request names (an event, a route) does not exist."""
