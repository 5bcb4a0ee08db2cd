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

from nollvision.followup.enums import CampaignStatus, ResponseStatus
from nollvision.followup.errors import FollowupError
from nollvision.followup.models import MeasureAnswer, Response, StatusChange

from .documents import FORMATS, render, report_content
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


@transaction.atomic
def report_publish(*, campaign, user, reason: str = "") -> PublishedReport:
    """Freeze the report as files: later edits and answers never change what was published.
    A second publication replaces the first on the public pages and must say why; the earlier
    one stays listed as replaced."""
    content = report_content(campaign, draft=False)
    report = content.report
    number = (
        report.publications.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
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
    name = f"uppfoljning-{campaign.plan.slug}-{campaign.year}-{number}"
    checksums, written = {}, []
    try:
        for fmt, kind in FORMATS.items():
            data = render(content, fmt, archival=True)
            checksums[fmt] = hashlib.sha256(data).hexdigest()
            field = getattr(publication, kind.field)
            field.save(f"{name}.{fmt}", ContentFile(data), save=False)
            written.append(field.name)
    except OSError as error:
        # A full disk (or any storage failure): no half-published report stays behind.
        for stored in written:
            field.storage.delete(stored)
        raise FollowupError(
            _("The report could not be stored (%(reason)s). Nothing was published.")
            % {"reason": error.strerror or error}
        ) from error
    publication.checksums = checksums
    publication.save()
    return publication


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
