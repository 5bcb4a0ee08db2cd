"""What every admin page with history shares."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, with a 404 rather than a server error for a history
    address whose id is not an id at all (found by the permission matrix test)."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except (ValidationError, ValueError):
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)
