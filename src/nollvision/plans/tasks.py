"""The plan's background work (run by `nollvision.jobs.runner`): the plan as a document and the
consultation summary, each built in a worker and kept with its job for download."""

from django.utils import translation
from django.utils.translation import gettext as _

from nollvision.jobs.services import Outcome

from . import consultation_documents, documents
from .models import Consultation, Plan

SUMMARY_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def plan_document_task(*, job, progress, plan: int, fmt: str, language: str = "sv") -> Outcome:
    target = Plan.objects.select_related("region").get(pk=plan)
    progress(1, 2, _("Building the document"))
    with translation.override(language):
        data = documents.render(target, fmt, language)
        name = documents.plan_file_name(target, fmt, language)
    progress(2, 2, _("Storing the document"))
    return Outcome(
        file_name=name,
        content=data,
        content_type=documents.CONTENT_TYPES[fmt],
        label=name,
    )


def consultation_summary_task(*, job, progress, consultation: int, fmt: str) -> Outcome:
    target = Consultation.objects.select_related("plan").get(pk=consultation)
    progress(1, 2, _("Building the summary"))
    render = (
        consultation_documents.summary_pdf if fmt == "pdf" else consultation_documents.summary_docx
    )
    data = render(target)
    plan = target.plan
    name = f"remissammanstallning-{plan.slug}-v{plan.version}-{target.pk}.{fmt}"
    progress(2, 2, _("Storing the summary"))
    return Outcome(file_name=name, content=data, content_type=SUMMARY_TYPES[fmt], label=name)
