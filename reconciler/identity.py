"""How the project recognises what it owns on MTurk: there is no state file, MTurk is the state.

- A HIT carries `RequesterAnnotation` = a versioned tag of project, batch, generation and row key
  (the key hashed when the tag would pass MTurk's 255 characters).
- A HIT create carries `UniqueRequestToken` = a digest of (project, batch, key, generation), so a
  retried or re-run create within 24 h answers HitAlreadyExists instead of posting a duplicate.
- A qualification type carries a project tag among its keywords.
- A worker block made by the project carries a project tag at the end of its reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

ANNOTATION_PREFIX = "reconciler/1"
ANNOTATION_LIMIT = 255
TOKEN_LIMIT = 64
HASHED_KEY_PREFIX = "sha256:"


@dataclass(frozen=True)
class HitAnnotation:
    """The parsed RequesterAnnotation of a HIT this tool created."""

    project: str
    batch: str
    generation: int
    key: str  # as recorded: the row key, or HASHED_KEY_PREFIX + digest when too long

    def render(self) -> str:
        return f"{ANNOTATION_PREFIX} {self.project} {self.batch} {self.generation} {self.key}"


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def key_ref(project: str, batch: str, key: str) -> str:
    """The row key as the annotation records it: itself, or its digest when the tag would be too long.

    Generation numbers are budgeted at 6 digits so a row's key_ref never changes between generations.
    """
    longest = HitAnnotation(project, batch, 999_999, key).render()
    if len(longest) <= ANNOTATION_LIMIT and "\n" not in key:
        return key
    return HASHED_KEY_PREFIX + _digest(key)[:40]


def hit_annotation(project: str, batch: str, key: str, generation: int) -> str:
    """The RequesterAnnotation for a row's HIT of the given generation."""
    return HitAnnotation(project, batch, generation, key_ref(project, batch, key)).render()


def parse_annotation(text: str | None) -> HitAnnotation | None:
    """The annotation's parts, or None when the HIT is not one of ours (any project)."""
    if not text or not text.startswith(ANNOTATION_PREFIX + " "):
        return None
    parts = text[len(ANNOTATION_PREFIX) + 1 :].split(" ", 3)
    if len(parts) != 4 or not parts[2].isdigit():
        return None
    project, batch, generation, key = parts
    return HitAnnotation(project, batch, int(generation), key)


def create_token(project: str, batch: str, key: str, generation: int) -> str:
    """UniqueRequestToken of a row's create: stable across retries and re-runs (≤ 64 chars)."""
    return _digest("create", project, batch, key, str(generation))[:TOKEN_LIMIT]


def add_assignments_token(project: str, batch: str, key: str, generation: int, new_total: int) -> str:
    """UniqueRequestToken of raising a row's HIT to `new_total` assignments."""
    return _digest("assignments", project, batch, key, str(generation), str(new_total))[:TOKEN_LIMIT]


def qualification_tag(project: str) -> str:
    """The keyword that marks a qualification type as owned by `project`."""
    return f"reconciler:{project}"


def qualification_name_tag(project: str, name: str) -> str:
    """The keyword that records a type's logical name, so a changed `qualification_name` is
    recognised as the same declared type (a replacement), not as one type removed and another added."""
    return f"{qualification_tag(project)}:{name}"


def project_keywords(project: str, name: str) -> tuple[str, str]:
    """The keywords a project's qualification type is created with, besides its declared ones."""
    return (qualification_tag(project), qualification_name_tag(project, name))


def is_project_keyword(project: str, keyword: str) -> bool:
    """Whether a keyword is one of the tags the project adds (never a declared keyword)."""
    tag = qualification_tag(project)
    return keyword == tag or keyword.startswith(tag + ":")


def logical_name_of(project: str, keywords: tuple[str, ...] | set[str]) -> str | None:
    """The logical name recorded in a live type's keywords, or None when there is none."""
    prefix = qualification_tag(project) + ":"
    return next((k[len(prefix):] for k in sorted(keywords) if k.startswith(prefix)), None)


BLOCK_TAG_OPEN = " [reconciler:"


def block_reason(project: str, reason: str) -> str:
    """The Reason sent to CreateWorkerBlock: the declared reason plus the project tag."""
    return f"{reason}{BLOCK_TAG_OPEN}{project}]"


def parse_block_reason(text: str) -> tuple[str | None, str]:
    """(project, declared reason) of a live block's reason; project None when not ours."""
    if text.endswith("]") and BLOCK_TAG_OPEN in text:
        reason, _, tail = text.rpartition(BLOCK_TAG_OPEN)
        return tail[:-1], reason
    return None, text
