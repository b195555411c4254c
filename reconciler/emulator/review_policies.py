"""Review policies: checked on create, echoed by ListReviewPolicyResultsForHIT.

The emulator records a HIT's policies but does not run them, so the reports it returns are
empty (see the README, "Not modelled").
"""

from __future__ import annotations

import json

from .context import Context, operation
from .errors import INVALID_PARAMETER, request_error
from . import hits

POLICY_NAMES = {
    "AssignmentReviewPolicy": "ScoreMyKnownAnswers/2011-09-01",
    "HITReviewPolicy": "SimplePlurality/2011-09-01",
}


def check_policies(params: dict) -> None:
    """RequestError unless each review policy names the policy MTurk offers at that level."""
    for member, name in POLICY_NAMES.items():
        policy = params.get(member)
        if policy is not None and policy["PolicyName"] != name:
            raise request_error(f"The {member} {policy['PolicyName']} is not supported; use "
                                f"{name}.", INVALID_PARAMETER)


@operation("ListReviewPolicyResultsForHIT")
def list_review_policy_results_for_hit(ctx: Context, params: dict) -> dict:
    """A HIT's review policies (as created) and the results of running them (none here)."""
    hit = hits.load_hit(ctx, params["HITId"], allow_disposed=False)
    body: dict = {"HITId": hit["id"]}
    if hit["assignment_policy"] is not None:
        body["AssignmentReviewPolicy"] = json.loads(hit["assignment_policy"])
    if hit["hit_policy"] is not None:
        body["HITReviewPolicy"] = json.loads(hit["hit_policy"])
    levels = params.get("PolicyLevels") or ["Assignment", "HIT"]
    empty = {"ReviewResults": [], "ReviewActions": []}
    if "Assignment" in levels:
        body["AssignmentReviewReport"] = dict(empty)
    if "HIT" in levels:
        body["HITReviewReport"] = dict(empty)
    return body
