"""The public projection: the only way public pages, files and the API read follow-up answers,
report files, meeting material and signings. Every rule of what is public is here, once:

- figures come from answers that were accepted *and* published, never drafts. A follow-up is
  published when the county board has published its report; what counts is the latest
  publication, the responses it was built from (its fingerprint) that are still accepted. An
  answer accepted after the publication waits for the next one; one reopened drops out at once;
- an answer's text only where the body allowed it **and** the county board cleared it
  (`public_text`), in pages and in the public edition of the report files alike;
- the public record serves the public edition of a published report, never the full one;
- minutes, decisions and actions only from meetings whose minutes are published;
- signings as recorded, never the list of signatories taken for signings.

`src/tests/test_public_gate.py` plants a marker in every state that must stay hidden and looks
for it in every public output; an import-linter contract keeps public code from reading those
models another way. Everything here counts bodies and their measures, never people."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from nollvision.followup.enums import MeasureStatus, ResponseStatus
from nollvision.followup.models import MeasureAnswer
from nollvision.plans.models import Measure

from . import figures
from .models import PublishedReport

STATUSES = MeasureStatus.values
STATUS_CHOICES = MeasureStatus.choices


def public_text(text: str, *, may_publish: bool, cleared_at) -> str:
    """The one rule for an answer's text in anything public: the body allowed publication and
    the county board cleared it; otherwise nothing."""
    return text if may_publish and cleared_at is not None else ""


@dataclass(frozen=True)
class Publication:
    """One published follow-up: its year and the responses it may show."""

    campaign_id: int
    year: int
    plan_version: int
    number: int
    published_at: object
    response_ids: frozenset[int]


def publications_of(plan_slug: str) -> list[Publication]:
    """The latest publication of each follow-up of the plan, oldest year first: one query."""
    latest: dict[int, PublishedReport] = {}
    for publication in (
        PublishedReport.objects.filter(report__campaign__plan__slug=plan_slug)
        .select_related("report__campaign__plan")
        .order_by("report__campaign__year", "number")
        .only(
            "number",
            "published_at",
            "answers",
            "report__campaign__year",
            "report__campaign__plan__version",
        )
    ):
        latest[publication.report.campaign_id] = publication
    return [
        Publication(
            campaign_id=campaign_id,
            year=p.report.campaign.year,
            plan_version=p.report.campaign.plan.version,
            number=p.number,
            published_at=p.published_at,
            response_ids=frozenset(row[0] for row in p.answers),
        )
        for campaign_id, p in latest.items()
    ]


def _published_answers(publications: list[Publication], **filters):
    """Accepted measure answers of the published responses, as values rows."""
    response_ids = set().union(*(p.response_ids for p in publications)) if publications else set()
    return MeasureAnswer.objects.filter(
        response_id__in=response_ids, response__status=ResponseStatus.ACCEPTED, **filters
    ).exclude(status="")


@dataclass
class MeasureProgress:
    """For one published follow-up: per measure key, how many bodies report each status."""

    year: int | None = None
    by_measure: dict[str, figures.StatusCounts] = field(default_factory=dict)
    bodies: int = 0

    def of(self, key: str) -> figures.StatusCounts:
        return self.by_measure.get(key) or figures.StatusCounts({})


def goal_measure_progress(plan, goal_number: int) -> MeasureProgress:
    """The latest published follow-up's status counts for each measure of a goal (matched by the
    measure's stable key, so a later plan version shows the counts of the version answered);
    two queries."""
    publications = publications_of(plan.slug)
    if not publications:
        return MeasureProgress()
    latest = publications[-1]
    counts: dict[str, Counter] = defaultdict(Counter)
    bodies = set()
    for key, status, organisation in _published_answers(
        [latest], measure__goal__number=goal_number
    ).values_list("measure__key", "status", "response__organisation_id"):
        counts[key][status] += 1
        bodies.add(organisation)
    return MeasureProgress(
        year=latest.year,
        by_measure={key: figures.StatusCounts(dict(c)) for key, c in counts.items()},
        bodies=len(bodies),
    )


def goal_progress(plan) -> dict[int, tuple[int, figures.StatusCounts]]:
    """Per goal, the bodies' reported progress in the latest published follow-up: (year, counts).
    Empty when nothing is published."""
    publications = publications_of(plan.slug)
    if not publications:
        return {}
    latest = publications[-1]
    counts: dict[int, Counter] = defaultdict(Counter)
    for goal, status in _published_answers([latest]).values_list("measure__goal__number", "status"):
        counts[goal][status] += 1
    return {goal: (latest.year, figures.StatusCounts(dict(c))) for goal, c in counts.items()}


@dataclass
class BodyYear:
    year: int
    counts: figures.StatusCounts
    # (measure code, status, text cleared for publication, the measure's own text)
    done: list[tuple[str, str, str, str]]


def body_progress(plan_slug: str, organisation_id: int) -> list[BodyYear]:
    """A body's accepted, published answers year by year; texts only where the county board has
    cleared them for publication, each with its measure's text. Three queries."""
    publications = publications_of(plan_slug)
    years = {p.campaign_id: p.year for p in publications}
    rows: dict[int, list] = defaultdict(list)
    found = list(
        _published_answers(publications, response__organisation_id=organisation_id)
        .order_by("measure__goal__number", "measure__position")
        .values_list(
            "response__campaign_id",
            "measure_id",
            "measure__code",
            "status",
            "done",
            "may_publish",
            "cleared_at",
        )
    )
    texts = {
        m.pk: str(m.text)
        for m in Measure.objects.filter(pk__in={row[1] for row in found}).only("text")
    }
    for campaign_id, measure_id, code, status, done, may_publish, cleared in found:
        shown = public_text(done, may_publish=may_publish, cleared_at=cleared)
        rows[campaign_id].append((code, status, shown, texts.get(measure_id, "")))
    return [
        BodyYear(
            year=years[campaign_id],
            counts=figures.StatusCounts(dict(Counter(item[1] for item in items))),
            done=items,
        )
        for campaign_id, items in sorted(rows.items(), key=lambda item: years[item[0]])
    ]


def goal_aggregates(plan_slug: str) -> list[dict]:
    """Every published follow-up's counts per goal and status, for the open data API and CSV:
    one row per (year, goal), with the number of bodies whose answers it rests on."""
    publications = publications_of(plan_slug)
    years = {p.campaign_id: p for p in publications}
    counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    bodies: dict[tuple[int, int], set] = defaultdict(set)
    for campaign_id, goal, status, organisation in _published_answers(publications).values_list(
        "response__campaign_id", "measure__goal__number", "status", "response__organisation_id"
    ):
        counts[(campaign_id, goal)][status] += 1
        bodies[(campaign_id, goal)].add(organisation)
    rows = []
    for (campaign_id, goal), counter in sorted(
        counts.items(), key=lambda item: (years[item[0][0]].year, item[0][1])
    ):
        publication = years[campaign_id]
        rows.append(
            {
                "year": publication.year,
                "plan_version": publication.plan_version,
                "publication": publication.number,
                "goal": goal,
                "bodies": len(bodies[(campaign_id, goal)]),
                "answers": sum(counter.values()),
                **{status: counter.get(status, 0) for status in STATUSES},
            }
        )
    return rows


@dataclass
class RecordEntry:
    """One publication on the public record: its files, and what replaced it (if anything)."""

    publication: PublishedReport
    files: list
    replaced_by: PublishedReport | None = None


@dataclass
class RecordYear:
    year: int
    plan_version: int
    current: RecordEntry
    replaced: list[RecordEntry]


def public_record(plan_slug: str) -> list[RecordYear]:
    """Every published annual report of the plan (all its versions), newest year first: the
    current publication of each year with its files, and the earlier ones listed as replaced,
    each with the publication that replaced it and its reason. One query."""
    from .documents import published_files

    by_campaign: dict[int, list[PublishedReport]] = defaultdict(list)
    for publication in (
        PublishedReport.objects.filter(report__campaign__plan__slug=plan_slug)
        .select_related("report__campaign__plan")
        .defer("answers")
        .order_by("-report__campaign__year", "-number")
    ):
        by_campaign[publication.report.campaign_id].append(publication)
    years = []
    for publications in by_campaign.values():
        newest, *earlier = publications
        replaced = [
            RecordEntry(p, published_files(p, public=True), replaced_by=later)
            for later, p in zip(publications, earlier, strict=False)
        ]
        campaign = newest.report.campaign
        years.append(
            RecordYear(
                year=campaign.year,
                plan_version=campaign.plan.version,
                current=RecordEntry(newest, published_files(newest, public=True)),
                replaced=replaced,
            )
        )
    return years


def record_publication(plan_slug: str, year: int, number: int) -> PublishedReport | None:
    return (
        PublishedReport.objects.filter(
            report__campaign__plan__slug=plan_slug, report__campaign__year=year, number=number
        )
        .select_related("report__campaign__plan")
        .first()
    )


def public_file_response(plan_slug: str, year: int, number: int, fmt: str):
    """A file of a publication's public edition, byte for byte as frozen; 404 for anything
    else (the full edition is for the back office only)."""
    from .downloads import published_file_response

    return published_file_response(record_publication(plan_slug, year, number), fmt, public=True)


def public_report_page(plan_slug: str, year: int, number: int, fmt: str):
    """A publication's public HTML report or annex, to show in the site's frame
    (reports/framed.py); None for anything else."""
    from .framed import framed_report

    return framed_report(record_publication(plan_slug, year, number), fmt)


# --- Meetings: only what published minutes hold ----------------------------------------------


def published_minutes(plan_slug: str):
    from nollvision.meetings.selectors import published_minutes as minutes

    return minutes(plan_slug)


def published_meeting(pk: int):
    from nollvision.meetings.selectors import published_meeting as meeting

    return meeting(pk)


def published_meeting_plan_slug(pk) -> str | None:
    """The plan (its county) of a meeting whose minutes are published: the frame of its page
    (one small query; the page reads the minutes themselves through published_meeting)."""
    from nollvision.meetings.selectors import published_meeting_plan_slug as plan_slug

    return plan_slug(pk) if isinstance(pk, int) else None


def meeting_work_for_measure(measure):
    """Agenda items, decisions and actions on a measure, from published minutes only."""
    from nollvision.meetings.selectors import for_measure

    return for_measure(measure, published_only=True)


# --- Signings: as recorded -----------------------------------------------------------------


@dataclass
class Signings:
    """The signatories of a plan version, each with its recorded signing or None. A signatory is
    a body the plan names; it has signed only where a signing is recorded."""

    rows: list

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def recorded(self) -> int:
        """Signings recorded here or stated by a source (the plan's document)."""
        return sum(1 for _signatory, signing in self.rows if signing is not None)

    @property
    def from_document(self) -> int:
        return sum(1 for _s, signing in self.rows if signing is not None and signing.from_document)


def recorded_signings(plan) -> Signings:
    from nollvision.plans.selectors import signatories_with_signings

    return Signings(signatories_with_signings(plan))
