"""Failures that stop a whole file from being read. Cell content never raises: it becomes a Problem."""

from __future__ import annotations


class SamarbejdeError(Exception):
    """Base class: a message for the user that names the file and what to do."""


class WorkbookError(SamarbejdeError):
    """A workbook that cannot be read at all (not a zip, not our template, newer template, encrypted …)."""

    def __init__(self, file: str, reason: str, hint: str, *, code: str = "unreadable") -> None:
        self.file = file
        self.reason = reason
        self.hint = hint
        self.code = code
        super().__init__(f"{file}: {reason}. {hint}")


class SettingsError(SamarbejdeError):
    """A settings value out of range or of the wrong type; names the setting."""

    def __init__(self, key: str, message: str, source: str = "") -> None:
        self.key = key
        self.source = source
        where = f"{source}: " if source else ""
        setting = f"indstillingen '{key}': " if key else ""
        super().__init__(f"{where}{setting}{message}")


class ActionError(SamarbejdeError):
    """A button or command that cannot go ahead (unknown id, a duplicate, output equals input …); the message says
    what to do."""
