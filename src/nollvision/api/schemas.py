"""What the open data API returns. Texts are objects of language codes ({"sv": ..., "en": ...})."""

from ninja import Field, Schema


class Page(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


class PlanSummary(Schema):
    slug: str
    version: int
    title: dict[str, str]
    region: str
    county: str = Field(description="the county's two-digit code (SCB)")
    period_start: int
    period_end: int
    status: str
    adopted_on: str | None
    url: str


class PlanPage(Page):
    results: list[PlanSummary]


class MeasureOut(Schema):
    code: str
    key: str
    text: dict[str, str]
    section: dict[str, str]
    prevention_levels: list[str]
    violence_areas: list[str]
    organisation_kinds: list[str]


class GoalOut(Schema):
    number: int
    title: dict[str, str]
    text: dict[str, str]
    measures: list[MeasureOut]


class PlanOut(PlanSummary):
    signatories: list[str]
    goals: list[GoalOut]


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    region: str | None = Field(description="the county's two-digit code (kept; see county)")
    county: str | None = Field(description="the county's two-digit code (SCB)")
    municipality_code: str
    website: str


class OrganisationPage(Page):
    results: list[OrganisationOut]


class GoalFigures(Schema):
    year: int
    plan_version: int
    publication: int
    goal: int
    bodies: int
    answers: int
    not_started: int
    planned: int
    ongoing: int
    implemented: int
    not_relevant: int


class FollowupOut(Schema):
    plan: str
    note: str
    results: list[GoalFigures]


class FactCheck(Schema):
    fact: str
    source: str
    checked: str | None
    as_of: str | None


class ServiceOut(Schema):
    key: str
    name: dict[str, str]
    for_whom: dict[str, str]
    needs: list[str]
    area: str | None = Field(description="four digits: a municipality, or a county as an area")
    area_name: str | None
    county: str | None = Field(description="the county's two-digit code; null: national")
    phone: str
    opening_hours: dict[str, str]
    hours: str
    hours_note: dict[str, str]
    open_now: bool | None
    operator: dict[str, str]
    checks: list[FactCheck]
    url: str
    languages: list[str]
    emergency: bool
    last_verified: str | None
    verified: bool


class ServicePage(Page):
    results: list[ServiceOut]


class Error(Schema):
    detail: str


class Invalid(Schema):
    """A parameter of the wrong type or value."""

    detail: list[dict]
