"""Writes of reports: the narrative, publishing (frozen files), the archive package."""

import hashlib
import json
import zipfile
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from nollvision.accounts.models import Role
from nollvision.core.pdf import html_to_pdf, lay_out_ahead
from nollvision.followup.enums import CampaignStatus, ResponseStatus
from nollvision.followup.errors import FollowupError
from nollvision.followup.models import MeasureAnswer, Response, StatusChange
from nollvision.notifications import services as notices
from nollvision.notifications.enums import Kind
from nollvision.notifications.links import absolute_reverse
from nollvision.notifications.selectors import coordinators_of, people_of

from .documents import FORMATS, render, render_html, report_content
from .models import PublishedReport, Report


@transaction.atomic
def report_save(
    *, report: Report, user, summary: str, analyses: dict[str, str], conclusions: str
) -> Report:
    field = Report._meta.get_field("summary")
    for text in [summary, conclusions, *analyses.values()]:
        try:
            field.run_validators(text)  # the guards and length limit of the narrative
        except ValidationError as error:
            raise FollowupError(" ".join(error.messages)) from None
    report.summary = summary
    report.analyses = {key: value for key, value in analyses.items() if value.strip()}
    report.conclusions = conclusions
    report.updated_by = user
    report.full_clean()
    report.save()
    return report


def answers_fingerprint(campaign) -> list:
    """Which accepted answers, at which versions, a report is built from."""
    versions: dict[int, list] = {}
    for response_id, code, version in (
        MeasureAnswer.objects.filter(
            response__campaign=campaign, response__status=ResponseStatus.ACCEPTED
        )
        .values_list("response_id", "measure__code", "version")
        .order_by("response_id", "measure__code")
    ):
        versions.setdefault(response_id, []).append([code, version])
    names = dict(
        Response.objects.filter(pk__in=list(versions)).values_list("pk", "organisation__name")
    )
    return [[pk, names[pk], versions[pk]] for pk in sorted(versions)]


def _print_sources(content) -> dict[str, str]:
    """The print HTML of each PDF format of an edition."""
    return {
        fmt: render_html(content, for_pdf=True, annex=fmt.startswith("bilaga"))
        for fmt in FORMATS
        if fmt.endswith("pdf")
    }


def _write_edition(
    publication,
    content,
    name: str,
    *,
    public: bool,
    written: list,
    prints: dict[str, str],
    step=None,
    full=None,
) -> tuple[dict, dict]:
    """Render every format of one edition into the publication's files: their checksums, and
    what each was made from. With `full` (what the full edition's were made from), a format
    whose source is the same in both editions (a PDF's print HTML, another format's bytes) is
    not rendered again: the public edition keeps the full one's stored file, as where the whole
    editions are the same (`_same_edition`). `prints` holds each PDF format's print HTML, whose
    layout `publication_editions_write` has already started."""
    checksums, sources = {}, {}
    for fmt, kind in FORMATS.items():
        if step is not None:
            step(
                _("Public edition: %(format)s") % {"format": kind.label}
                if public
                else _("Full edition: %(format)s") % {"format": kind.label}
            )
        is_pdf = fmt.endswith("pdf")
        source = prints[fmt] if is_pdf else render(content, fmt, archival=True)
        field = getattr(publication, kind.field_of(public=public))
        if full is not None and fmt in full and full[fmt][0] == source:
            _source, field.name, checksums[fmt] = full[fmt]
            continue
        data = html_to_pdf(source, archival=True) if is_pdf else source
        checksums[fmt] = hashlib.sha256(data).hexdigest()
        field.save(f"{name}.{fmt}", ContentFile(data), save=False)
        written.append((field.storage, field.name))
        sources[fmt] = (source, field.name, checksums[fmt])
    return checksums, sources


def _same_edition(full, public) -> bool:
    """The public edition would hold exactly what the full one holds (every answer text is
    cleared, every meeting of the year has published minutes): its files are the same bytes."""
    return full.figures.data.answers == public.figures.data.answers and (
        full.collaboration_rows() == public.collaboration_rows()
        and full.collaboration.actions_due == public.collaboration.actions_due
    )


# The steps of a publication: the figures of both editions, then each format of each edition.
PUBLISH_STEPS = 2 + 2 * len(FORMATS)


class _Steps:
    """Counts steps for a progress callback `progress(step, steps, label)` (or none)."""

    def __init__(self, progress, steps: int):
        self.progress, self.steps, self.done = progress, steps, 0

    def __call__(self, label) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.steps), self.steps, label)


def _remove(written: list) -> None:
    for storage, stored in written:
        storage.delete(stored)


def publication_editions_write(
    *, publication, campaign, public_only: bool = False, progress=None
) -> list:
    """Write the full edition (for the county board and the bodies) and the public one (built
    from the public projection only) of a publication; with `public_only`, the public one alone
    (for publications made before it existed). A storage failure leaves no file behind. Returns
    the files written (storage, name), for the caller to remove if what follows fails."""
    name = f"uppfoljning-{campaign.plan.slug}-{campaign.year}-{publication.number}"
    step = _Steps(progress, PUBLISH_STEPS)
    step(_("Gathering the accepted answers and figures"))
    full = report_content(campaign, draft=False)
    step(_("Gathering what the public edition may show"))
    public = report_content(campaign, draft=False, public=True)
    written: list = []
    same = _same_edition(full, public) and not public_only
    # Every PDF of the publication starts at once in the pool (core/pdf.py), while the other
    # formats are rendered here; each PDF's step then takes its finished file.
    prints = {
        edition: _print_sources(content)
        for edition, content in (("full", full), ("public", public))
        if (edition == "full" and not public_only) or (edition == "public" and not same)
    }
    lay_out_ahead([html for sources in prints.values() for html in sources.values()], archival=True)
    try:
        sources = None
        if not public_only:
            publication.checksums, sources = _write_edition(
                publication,
                full,
                name,
                public=False,
                written=written,
                step=step,
                prints=prints["full"],
            )
        if same:
            for kind in FORMATS.values():
                source = getattr(publication, kind.field)
                getattr(publication, kind.field_of(public=True)).name = source.name
            publication.public_checksums = dict(publication.checksums)
            step.done = step.steps - 1
            step(_("The public edition is the same as the full one"))
        else:
            publication.public_checksums, _sources = _write_edition(
                publication,
                public,
                f"{name}-offentlig",
                public=True,
                written=written,
                step=step,
                full=sources,
                prints=prints["public"],
            )
    except OSError as error:
        # A full disk (or any storage failure): no half-published report stays behind.
        _remove(written)
        raise FollowupError(
            _("The report could not be stored (%(reason)s). Nothing was published.")
            % {"reason": error.strerror or error}
        ) from error
    except BaseException:
        _remove(written)
        raise
    return written


def _next_number(report) -> int:
    return (
        report.publications.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1


def report_publish(*, campaign, user, reason: str = "", progress=None) -> PublishedReport:
    """Freeze the report as files: later edits and answers never change what was published.
    Two editions are frozen: the full one for the back office and the public one for the public
    record. A second publication replaces the first on the public pages and must say why; the
    earlier one stays listed as replaced.

    Never half made: every file is built and stored first (outside any transaction, reporting
    each step to `progress(step, steps, label)`), then the publication is switched public in one
    transaction; if anything fails the files are removed and the previous state stays."""
    report, _created = Report.objects.get_or_create(campaign=campaign)
    number = _next_number(report)
    reason = reason.strip()
    if number > 1 and not reason:
        raise FollowupError(
            _("Say why this publication replaces number %(number)d.") % {"number": number - 1}
        )
    try:
        PublishedReport._meta.get_field("reason").clean(reason, None)
    except ValidationError as error:
        raise FollowupError(" ".join(error.messages)) from error
    publication = PublishedReport(
        report=report,
        number=number,
        published_by=user,
        answers=answers_fingerprint(campaign),
        reason=reason,
    )
    written = publication_editions_write(
        publication=publication, campaign=campaign, progress=progress
    )
    try:
        with transaction.atomic():
            if _next_number(report) != number:  # someone published meanwhile
                raise FollowupError(
                    _(
                        "Another publication of this report was made meanwhile. Nothing was "
                        "published; look at the report and publish again if needed."
                    )
                )
            publication.save()
            _tell_published(publication, campaign, user)
    except BaseException:
        _remove(written)
        raise
    return publication


def _tell_published(publication, campaign, user) -> None:
    """The bodies whose answers the report is built from (reporters and approvers) and the
    county board hear that it is public, with the link to the public record."""
    plan = campaign.plan
    bodies = campaign.responses.values_list("organisation_id", flat=True)
    people = {
        u.pk: u
        for u in [
            *people_of(bodies, [Role.REPORTER, Role.APPROVER]),
            *coordinators_of(plan.region_id),
        ]
    }
    notices.notify(
        kind=Kind.REPORT_PUBLISHED,
        users=people.values(),
        about=notices.about_plan(plan, followup_year=campaign.year),
        url=absolute_reverse("public:reports", plan.slug),
        text=publication.reason,
        exclude=user,
    )


def public_edition_build(*, publication) -> bool:
    """Build the public edition of a publication made before editions existed, where what it was
    built from is still what the platform holds: the same accepted answers at the same versions
    and a narrative not edited since. Otherwise nothing is built (and its files stay off the
    public record) until the coordinator publishes again. True when built."""
    if publication.has_public_edition:
        return False
    campaign = publication.report.campaign
    report = publication.report
    if answers_fingerprint(campaign) != publication.answers:
        return False
    if report.updated_at > publication.published_at:
        return False
    publication_editions_write(publication=publication, campaign=campaign, public_only=True)
    publication.save()
    return True


def _answer_histories(responses) -> dict[int, list[dict]]:
    """Every version of every measure answer of `responses`, in two queries."""
    codes = dict(
        MeasureAnswer.objects.filter(response__in=responses).values_list("pk", "measure__code")
    )
    entries: dict[int, list[dict]] = {response.pk: [] for response in responses}
    for record in (
        MeasureAnswer.history.filter(response_id__in=list(entries))
        .select_related("history_user")
        .order_by("id", "history_date")
    ):
        entries[record.response_id].append(
            {
                "measure": codes.get(record.id, ""),
                "when": record.history_date.isoformat(),
                "who": str(record.history_user or ""),
                "status": record.status,
                "done": record.done,
                "not_relevant_reason": record.not_relevant_reason,
                "next_steps": record.next_steps,
                "version": record.version,
            }
        )
    return entries


def campaign_archive(*, campaign) -> tuple[str, bytes]:
    """The records-management package of a closed follow-up: the published report as PDF/A,
    the Excel file, every accepted answer with its history as JSON, and a checksum manifest."""
    if campaign.status != CampaignStatus.CLOSED:
        raise FollowupError(_("Close the follow-up before archiving it."))
    publication = (
        PublishedReport.objects.filter(report__campaign=campaign).order_by("-number").first()
    )
    if publication is None:
        raise FollowupError(_("Publish the report before archiving the follow-up."))
    responses = list(
        Response.objects.filter(campaign=campaign, status=ResponseStatus.ACCEPTED)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("by"))
        )
        .order_by("organisation__name")
    )
    histories = _answer_histories(responses)
    answers = []
    for response in responses:
        answers.append(
            {
                "organisation": response.organisation.name,
                "status_changes": [
                    {
                        "action": c.action,
                        "from": c.source,
                        "to": c.target,
                        "by": str(c.by or ""),
                        "at": c.at.isoformat(),
                        "reason": c.reason,
                    }
                    for c in response.status_changes.all()
                ],
                "answers": histories[response.pk],
            }
        )
    files = {
        "rapport.pdf": publication.pdf.open("rb").read(),
        "rapport.xlsx": publication.xlsx.open("rb").read(),
        **(
            {"bilaga.pdf": publication.annex_pdf.open("rb").read()} if publication.annex_pdf else {}
        ),
        "svar.json": json.dumps(
            {"plan": campaign.plan.slug, "year": campaign.year, "responses": answers},
            ensure_ascii=False,
            indent=2,
        ).encode("utf-8"),
    }
    manifest = {
        "plan": campaign.plan.slug,
        "plan_version": campaign.plan.version,
        "year": campaign.year,
        "publication": publication.number,
        "published_at": publication.published_at.isoformat(),
        "made_at": timezone.now().isoformat(),
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in files.items()
        },
    }
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return f"arkiv-{campaign.plan.slug}-{campaign.year}.zip", out.getvalue()
