"""Errors a user can act on: each renders as one line, without a traceback.

The library names the *parameter* a bad value came from (``depart``), never a command-line flag;
the CLI renders the same error with its flags (``--depart``) through :meth:`HbeuError.render`.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FeedError", "FeedWarning", "HbeuError", "InputError"]


class HbeuError(Exception):
    """Base class for errors caused by bad input rather than by a bug.

    ``params``: the parameter names the message refers to as ``{name}`` placeholders, so a
    front end can show them under its own names (``render({"depart": "--depart"})``)."""

    def __init__(self, message: str, *, params: tuple[str, ...] = ()):
        self.template, self.params = message, tuple(params)
        super().__init__(self.render())

    def render(self, names: Mapping[str, str] | None = None) -> str:
        """The message with each ``{param}`` replaced by ``names[param]`` (default: the name)."""
        text = self.template
        for p in self.params:
            text = text.replace("{" + p + "}", (names or {}).get(p, p))
        return text


class FeedError(HbeuError):
    """A GTFS feed is malformed: names the file, the line (header = line 1) and the field."""

    def __init__(self, file: str, message: str, line: int | None = None, field: str | None = None):
        self.file, self.line, self.field, self.message = file, line, field, message
        where = file
        if line is not None:
            where += f" line {line}"
        if field is not None:
            where += f" field {field}"
        super().__init__(f"{where}: {message}")

    @classmethod
    def missing(cls, path: object) -> "FeedError":
        """The one wording, everywhere, for a feed (zip or folder) that is not there."""
        return cls(str(path), "no such file or folder")


class InputError(HbeuError):
    """A bad value in a query (unknown station, impossible time...); ``params`` as HbeuError."""

    def __init__(self, message: str, *params: str):
        super().__init__(message, params=params)


class FeedWarning(UserWarning):
    """A feed is usable but not sound: a repaired field, or errors `hbeu validate` would list.
    Issued through :mod:`warnings`, so library users filter it as any warning; the CLI prints
    each as one ``warning:`` line on stderr."""
