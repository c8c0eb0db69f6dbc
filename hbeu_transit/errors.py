"""Errors a user can act on: each renders as one line, without a traceback."""

from __future__ import annotations


class HbeuError(Exception):
    """Base class for errors caused by bad input rather than by a bug."""


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


class InputError(HbeuError):
    """A bad value on the command line or in a query (unknown station, impossible time...)."""
