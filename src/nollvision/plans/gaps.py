"""What a plan version still lacks on its way to a complete plan, for the editor's page: the
vocabularies it has no terms of, the kinds of body without a responsibility description, and the
measures that name a kind of body the plan has no body of. Plain functions over loaded rows."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from nollvision.accounts.models import OrganisationKind
from nollvision.core.collation import swedish_sort_key

from .enums import Vocabulary
from .models import Measure, Plan, ResponsibilityDescription, Signatory, Term

MISSING = {
    Vocabulary.PREVENTION_LEVEL: _("The plan names no prevention levels."),
    Vocabulary.VIOLENCE_AREA: _("The plan names no violence areas."),
    Vocabulary.VIOLENCE_STAIRCASE: _("The plan has no violence staircase."),
    Vocabulary.CHAIN_STAGE: _("The plan names no stages of the chain of interventions."),
}


@dataclass(frozen=True)
class VocabularyRow:
    name: str
    label: str
    terms: list[Term]
    missing: str  # what the page says when the plan has no terms of it


def vocabulary_rows(terms: Iterable[Term]) -> list[VocabularyRow]:
    """Each vocabulary of the format with the version's terms of it, in order."""
    by_name: dict[str, list[Term]] = {}
    for term in sorted(terms, key=lambda term: term.position):
        by_name.setdefault(term.vocabulary, []).append(term)
    return [
        VocabularyRow(
            name=vocabulary.value,
            label=vocabulary.label,
            terms=by_name.get(vocabulary.value, []),
            missing=MISSING[vocabulary],
        )
        for vocabulary in Vocabulary
    ]


def body_kinds(signatories: Iterable[Signatory]) -> list[OrganisationKind]:
    """The kinds of the plan's bodies (its signatories, with organisation and kind loaded), each
    once, in Swedish order of name."""
    kinds = {row.organisation.kind.code: row.organisation.kind for row in signatories}
    return sorted(kinds.values(), key=lambda kind: swedish_sort_key(str(kind.name)))


def plan_body_kinds(plan: Plan) -> list[OrganisationKind]:
    """The kinds of the plan's bodies, in one query: the kinds the editor offers."""
    return body_kinds(plan.signatures.select_related("organisation__kind"))


def measures_naming_kinds_without_bodies(
    measures: Iterable[Measure], kinds: Iterable[OrganisationKind]
) -> list[tuple[Measure, list[OrganisationKind]]]:
    """Each measure (organisation kinds loaded) that names a kind none of `kinds` is, with those
    kinds: no body of the plan would be asked about it for that kind."""
    have = {kind.code for kind in kinds}
    rows = []
    for measure in measures:
        absent = [kind for kind in measure.organisation_kinds.all() if kind.code not in have]
        if absent:
            rows.append((measure, absent))
    return rows


def kinds_without_description(
    kinds: Iterable[OrganisationKind], responsibilities: Iterable[ResponsibilityDescription]
) -> list[OrganisationKind]:
    """The kinds of the plan's bodies that have no responsibility description."""
    described = {row.organisation_kind_id for row in responsibilities}
    return [kind for kind in kinds if kind.pk not in described]
