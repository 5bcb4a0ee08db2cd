"""How complete a body's answer is: every part the form asks for, counted the same way by the
page's progress, its table of contents, the confirmation before submitting and the rule that
refuses an incomplete submission. Plain Python over rows already loaded."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .enums import MeasureStatus


@dataclass(frozen=True)
class Gap:
    """A part still missing: where it is on the page (`anchor`) and what to call it."""

    anchor: str  # the id of the field on the answer page (m<pk> for a measure)
    label: str
    kind: str  # "measure", "reason" or "body"


@dataclass
class Progress:
    measures_total: int = 0
    measures_done: int = 0
    body_total: int = 0
    body_done: int = 0
    gaps: list[Gap] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.measures_total + self.body_total

    @property
    def done(self) -> int:
        return self.measures_done + self.body_done

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def first_gap(self) -> Gap | None:
        return self.gaps[0] if self.gaps else None


def measure_done(answer) -> bool:
    """A measure is answered with a status, and "not relevant" with its reason."""
    if not answer.status:
        return False
    return answer.status != MeasureStatus.NOT_RELEVANT or bool(answer.not_relevant_reason.strip())


def progress_of(*, answers, routines, participations, extras, body) -> Progress:
    progress = Progress(measures_total=len(answers))
    for answer in answers:
        if measure_done(answer):
            progress.measures_done += 1
        elif answer.status == MeasureStatus.NOT_RELEVANT:
            progress.gaps.append(
                Gap(
                    f"m{answer.pk}",
                    _("%(code)s: the reason") % {"code": answer.measure.code},
                    "reason",
                )
            )
        else:
            progress.gaps.append(Gap(f"m{answer.pk}", answer.measure.code, "measure"))
    parts = [
        *(
            (f"id_body-routine_{r.routine}", r.get_routine_display(), bool(r.state))
            for r in routines
        ),
        ("id_body-staff_concerned", _("Staff concerned"), body.staff_concerned is not None),
        *(
            (f"id_body-takes_part_{p.body_id}", str(p.body.name), p.participates is not None)
            for p in participations
        ),
        *(
            (f"id_body-extra_{e.question_id}", str(e.question.text), e.value not in (None, "", []))
            for e in extras
        ),
    ]
    progress.body_total = len(parts)
    for anchor, label, done in parts:
        if done:
            progress.body_done += 1
        else:
            progress.gaps.append(Gap(anchor, label, "body"))
    return progress
