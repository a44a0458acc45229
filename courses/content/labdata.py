"""A lab as read from its YAML file, and the plain data stored with a revision.

A lab's parameters are kept in two parts: ``public``, what the page and the API show (the
texts of a hash lab, the data and difficulty of a mining lab, the blocks of a chain...), and
``key``, what only grading reads (which text a hash lab's hash is of, which peer of a ledger
lab was tampered with). Texts a learner reads are maps from language to text holding every
language of the course (missing translations already filled in along the fallback chain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

LangMap = dict[str, str]
LabKind = Literal["hash", "mining", "chain", "ledger", "keys", "transactions"]
LAB_KINDS: tuple[str, ...] = ("hash", "mining", "chain", "ledger", "keys", "transactions")


@dataclass(frozen=True)
class Lab:
    id: str
    path: str  # repository-relative file
    kind: LabKind
    title: LangMap
    instructions: LangMap
    hints: tuple[LangMap, ...]
    explanation: LangMap
    max_attempts: int  # 0 = unlimited
    public: dict[str, Any]
    key: dict[str, Any]
    source_hash: str
    instructions_html: LangMap = field(default_factory=dict)
    hints_html: tuple[LangMap, ...] = ()
    explanation_html: LangMap = field(default_factory=dict)


def lab_payload(lab: Lab) -> dict[str, Any]:
    """Everything the lab's page, the API and grading need, as JSON. ``key`` never reaches a
    page or the API: they show what `courses.selectors.labs.lab_public` takes from the rest."""
    return {
        "kind": lab.kind,
        "title": lab.title,
        "instructions_html": lab.instructions_html,
        "hints_html": [dict(hint) for hint in lab.hints_html],
        "explanation_html": lab.explanation_html,
        "max_attempts": lab.max_attempts,
        "public": lab.public,
        "key": lab.key,
    }
