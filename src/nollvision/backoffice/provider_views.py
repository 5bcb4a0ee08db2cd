"""The identity providers of a county's organisations (staff only, like setting the county up):
an organisation's own OpenID Connect login, its issuer, client and e-mail domains. The client
secret is written, never read back (`accounts.services.identity_provider_save`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from nollvision.accounts import geography, tenancy
from nollvision.accounts.forms import IdentityProviderForm
from nollvision.accounts.models import IdentityProvider, Region
from nollvision.accounts.selectors import providers_of_county
from nollvision.accounts.services import identity_provider_save

from .county_views import StaffMixin


class ProvidersView(StaffMixin, TemplateView):
    """The county's providers, and a form for one more (or for the one chosen, `pk`)."""

    template_name = "backoffice/providers.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        code = kwargs["code"]
        self.county = geography.county(code) if len(code) == 2 else None
        self.region = Region.objects.filter(code=code).first() if self.county else None
        self.provider = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_staff:
            if self.county is None:
                raise Http404
            if "pk" in kwargs:
                self.provider = (
                    providers_of_county(self.region.pk if self.region else None)
                    .filter(pk=kwargs["pk"])
                    .first()
                )
                if self.provider is None:
                    raise Http404
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        return IdentityProviderForm(
            data,
            instance=self.provider or IdentityProvider(),
            organisations=tenancy.organisations_of(self.region.pk if self.region else None),
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(
            county=self.county,
            region=self.region,
            provider=self.provider,
            providers=providers_of_county(self.region.pk if self.region else None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                provider = identity_provider_save(
                    provider=form.save(commit=False),
                    client_secret=form.cleaned_data["client_secret"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The login of %(organisation)s is saved.")
                    % {"organisation": provider.organisation.name},
                )
                return redirect("backoffice:providers", self.county.code)
        return self.render_to_response(self.get_context_data(form=form), status=400)
