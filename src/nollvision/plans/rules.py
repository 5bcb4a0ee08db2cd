"""Who may do what with a plan's own life in the back office, written once here.

- The coordinators of the plan's county (`accounts/tenancy.py`) keep the plan: its prioritised
  measures, the draft of the next version, its consultation, adoption and the signings.
- A signatory's approver answers a consultation for its body while the consultation is open,
  and records its body's signing of an adopted version. Reporters and approvers of a signatory
  read the consultation of their own body.
"""

import rules

from nollvision.accounts import tenancy
from nollvision.accounts.models import Role
from nollvision.accounts.selectors import role_in

from .enums import PlanStatus


def _plan(obj):
    plan = getattr(obj, "plan", None) or getattr(getattr(obj, "consultation", None), "plan", None)
    return plan if plan is not None else obj


@rules.predicate
def coordinates_plan(user, obj) -> bool:
    plan = _plan(obj) if obj is not None else None
    return plan is not None and tenancy.coordinates(user, plan.region_id)


@rules.predicate
def approves_for_body(user, answer) -> bool:
    """The approver of the answering (or signing) body."""
    return answer is not None and role_in(user, answer.organisation_id) == Role.APPROVER


@rules.predicate
def works_for_body(user, answer) -> bool:
    return answer is not None and role_in(user, answer.organisation_id) in {
        Role.APPROVER,
        Role.REPORTER,
    }


@rules.predicate
def consultation_open(user, answer) -> bool:
    return answer is not None and answer.consultation.is_open and answer.submitted_at is None


@rules.predicate
def is_draft(user, plan) -> bool:
    return plan is not None and plan.status == PlanStatus.DRAFT


@rules.predicate
def is_adopted(user, signing) -> bool:
    return signing is not None and signing.plan.status == PlanStatus.ADOPTED


rules.add_perm("plans.manage_plan", rules.is_authenticated & coordinates_plan)
rules.add_perm("plans.edit_draft", rules.is_authenticated & coordinates_plan & is_draft)
rules.add_perm(
    "plans.answer_consultation", rules.is_authenticated & approves_for_body & consultation_open
)
rules.add_perm(
    "plans.view_consultation_answer",
    rules.is_authenticated & (works_for_body | coordinates_plan),
)
# `signing` is a `Signing` (saved or not) naming the plan and the body.
rules.add_perm(
    "plans.record_signing",
    rules.is_authenticated & is_adopted & (approves_for_body | coordinates_plan),
)
