from dataclasses import dataclass, field
from typing import Any


class FollowupError(Exception):
    """A use case of the follow-up was refused; the message says why and is shown to the user."""


@dataclass
class Conflict:
    """Someone else saved an item after this user loaded it: both versions, nothing overwritten."""

    label: str
    theirs: dict[str, Any]
    yours: dict[str, Any]
    by: str = ""


@dataclass
class SaveConflict(FollowupError):
    conflicts: list[Conflict] = field(default_factory=list)

    def __str__(self) -> str:
        return ", ".join(conflict.label for conflict in self.conflicts)
