"""Reading the project's HITs: one ListHITs scan, filtered by RequesterAnnotation.

ListHITs has no filter, so the whole account is paged through at 100 HITs per call and every
HIT whose annotation names another project (or none) is dropped on the spot: foreign HITs are
never read further. Each kept HIT is normalised here (reward, keywords, requirements, question
whitespace) so that a HIT created from a manifest compares equal to that manifest's HIT.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from reconciler.identity import HitAnnotation, parse_annotation
from reconciler.live.pages import list_items
from reconciler.live.qualifications import split_keywords
from reconciler.model import HIT, HITType, Locale, QualificationType, Requirement, money
from reconciler.mturk.system_qualifications import SystemQualifications
from reconciler.plan.normalise import normalise_question


@dataclass(frozen=True)
class QualificationNames:
    """How a requirement's QualificationTypeId reads in the model: a system qualification's
    friendly name, a project type's logical name, or (anything else) the raw ID, marked foreign."""

    system: SystemQualifications
    project: Mapping[str, str]  # QualificationTypeId → logical name

    @classmethod
    def of(cls, system: SystemQualifications, types: tuple[QualificationType, ...]) -> QualificationNames:
        return cls(system, {qt.qualification_type_id: qt.name for qt in types if qt.qualification_type_id})

    def requirement(self, raw: dict) -> Requirement:
        """The model of one live QualificationRequirement."""
        type_id = raw["QualificationTypeId"]
        system_name = self.system.name_of(type_id)
        project_name = self.project.get(type_id)
        return Requirement(
            qualification=system_name or project_name or type_id,
            comparator=raw["Comparator"],
            system=system_name is not None,
            integer_values=tuple(int(v) for v in raw.get("IntegerValues") or ()),
            locale_values=tuple(
                Locale(loc["Country"], loc.get("Subdivision") or None) for loc in raw.get("LocaleValues") or ()
            ),
            actions_guarded=actions_guarded(raw),
            foreign=system_name is None and project_name is None,
        )


def actions_guarded(raw: dict) -> str:
    """ActionsGuarded of a live requirement, folding in the deprecated RequiredToPreview.

    MTurk echoes both fields. ActionsGuarded wins when present; otherwise RequiredToPreview=true
    means PreviewAndAccept, and neither means Accept (MTurk's default).
    """
    if raw.get("ActionsGuarded"):
        return str(raw["ActionsGuarded"])
    return "PreviewAndAccept" if raw.get("RequiredToPreview") else "Accept"


def read_hits(client: Any, project: str, names: QualificationNames) -> tuple[HIT, ...]:
    """Every listed HIT (all generations) whose annotation names `project`, sorted by row and generation.

    HITs of one HITTypeId share its properties, so each type is rebuilt once and shared.
    """
    hits = []
    types: dict[str, HITType] = {}
    for item in list_items(client, "list_hits", "HITs"):
        annotation = parse_annotation(item.get("RequesterAnnotation"))
        if annotation is None or annotation.project != project:
            continue
        type_id = item.get("HITTypeId") or ""
        hit_type = types.get(type_id) or live_hit_type(item, names)
        if type_id:
            types[type_id] = hit_type
        hits.append(live_hit(item, annotation, hit_type))
    return tuple(sorted(hits, key=lambda h: (h.batch, h.key, h.generation, h.hit_id or "")))


def live_hit_type(item: dict, names: QualificationNames) -> HITType:
    """A HIT's type, rebuilt from the HIT's own fields (MTurk has no API to read a HIT type)."""
    return HITType(
        title=item["Title"],
        description=item.get("Description") or "",
        reward=money(item["Reward"]),
        assignment_duration=int(item["AssignmentDurationInSeconds"]),
        auto_approval_delay=int(item.get("AutoApprovalDelayInSeconds", 2_592_000)),
        keywords=split_keywords(item.get("Keywords")),
        requirements=tuple(names.requirement(r) for r in item.get("QualificationRequirements") or ()),
    )


def live_hit(item: dict, annotation: HitAnnotation, hit_type: HITType) -> HIT:
    """The model of one of the project's HITs."""
    return HIT(
        batch=annotation.batch,
        key=annotation.key,
        hit_type=hit_type,
        question=normalise_question(item.get("Question") or ""),
        max_assignments=int(item["MaxAssignments"]),
        expires_at=item["Expiration"],
        generation=annotation.generation,
        hit_id=item["HITId"],
        hit_type_id=item.get("HITTypeId"),
        status=item.get("HITStatus"),
        created_at=item.get("CreationTime"),
        assignments_pending=int(item.get("NumberOfAssignmentsPending", 0)),
        assignments_available=int(item.get("NumberOfAssignmentsAvailable", 0)),
        assignments_completed=int(item.get("NumberOfAssignmentsCompleted", 0)),
    )
