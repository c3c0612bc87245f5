"""Values that importers cannot know, and the notes they leave for the lint report."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..errors import Loc


@dataclass(frozen=True)
class Unknown:
    """A value the input does not fix: it depends on the deployment (the resource group's
    location, a hash of the subscription ID), is left to the apply (Terraform's
    after_unknown), or needs a function erdesign does not evaluate.

    ``text`` says what it is (``resourceGroup().location``), ``loc`` where that
    is written, ``why`` why it is unknown, ``rule`` the IMP note it leads to.
    """

    text: str
    loc: Optional[Loc]
    why: str
    rule: str = "IMP001"

    def __str__(self) -> str:
        return f"<{self.text}>"


def is_unknown(value) -> bool:
    return isinstance(value, Unknown)
