"""The coordinator's upload of indicator values from CSV files."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from nollvision.accounts import tenancy
from nollvision.core.validators import guard_line
from nollvision.indicators.csv_import import MAX_BYTES, CsvError, csv_import, template
from nollvision.indicators.selectors import stale_series

from .mixins import CoordinatorMixin


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        guard_line(upload.name)  # the name is kept as the values' source
        return upload


class IndicatorUploadView(CoordinatorMixin, FormView):
    template_name = "backoffice/indicator_upload.html"
    form_class = CsvUploadForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            summary = csv_import(
                content=upload.read(),
                source=f"csv:{upload.name}",
                areas_allowed=set(tenancy.area_codes_coordinated_by(self.request.user)),
                uploaded_by=self.request.user,
                uploaded_for=tenancy.coordinating_organisation(self.request.user),
            )
        except CsvError as error:
            return self.render_to_response(
                self.get_context_data(form=form, problems=error.problems)
            )
        messages.success(self.request, _("Imported: %(summary)s.") % {"summary": summary})
        return redirect("backoffice:indicator-upload")


class IndicatorTemplateView(CoordinatorMixin, View):
    def get(self, request):
        codes = tenancy.area_codes_coordinated_by(request.user)
        response = HttpResponse(
            template(codes[0] if codes else "0000"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="indikatorvarden-mall.csv"'
        return response


STALE_AFTER_YEARS = 2


class IndicatorFreshnessView(CoordinatorMixin, TemplateView):
    """The series of the coordinator's county (its own areas and Sweden) whose latest value is
    more than two years old, each with the way to refresh it: the Kolada command for an
    indicator with a Kolada id, or a file."""

    template_name = "backoffice/indicator_freshness.html"

    def get_context_data(self, **kwargs):
        before = timezone.localdate().year - STALE_AFTER_YEARS
        codes = [*tenancy.area_codes_coordinated_by(self.request.user), "0000"]
        return super().get_context_data(series=stale_series(before, codes), before=before, **kwargs)
