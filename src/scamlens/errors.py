"""Errors a user sees. Each names what was wrong and where, never a bare traceback."""

from __future__ import annotations


class ScamlensError(Exception):
    """Base for every error scamlens reports to a user (exit code 2 in the CLI)."""


class InputError(ScamlensError):
    """Bad input: unreadable, malformed, too large, unsafe. Names the file and line or key."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class UnknownFormatError(InputError):
    """The input matched no supported chat-export format."""


class RuleError(ScamlensError):
    """A rule or lexicon data file is invalid."""
