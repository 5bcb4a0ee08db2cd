"""Another county's objects are not found: the one place that turns a refusal into "not found".

A back-office address that names an object (a follow-up, a meeting, a plan...) of a county in
which the person holds no role answers 404, as if it did not exist, whatever refused it: the
person learns nothing of another county's work, not even that an object exists. A refusal in a
county where the person works stays a 403 that says they lack the role. Django's handler403
(nollvision.urls) asks here.
"""

from django.apps import apps
from django.views.defaults import page_not_found, permission_denied

from nollvision.accounts.tenancy import member_regions

# The object an address names: (first segment, second segment or "", keyword) -> the model and
# the path from it to its county, or to the plan whose county it is (`plan_slug`).
_PLAN_SLUG = "plan_slug"
NAMED = {
    ("planer", "", "slug"): ("plans.Plan", "slug", "region_id"),
    ("remiss", "svar", "pk"): ("plans.ConsultationAnswer", "pk", "consultation__plan__region_id"),
    ("remiss", "", "pk"): ("plans.Consultation", "pk", "plan__region_id"),
    ("uppfoljningar", "", "pk"): ("followup.Campaign", "pk", "plan__region_id"),
    ("svar", "", "pk"): ("followup.Response", "pk", "campaign__plan__region_id"),
    ("grupper", "", "pk"): ("meetings.Group", "pk", _PLAN_SLUG),
    ("medlemmar", "", "pk"): ("meetings.GroupMember", "pk", f"group__{_PLAN_SLUG}"),
    ("moten", "", "pk"): ("meetings.Meeting", "pk", f"group__{_PLAN_SLUG}"),
    ("moten", "", "meeting"): ("meetings.Meeting", "pk", f"group__{_PLAN_SLUG}"),
    ("bilagor", "", "pk"): ("meetings.Attachment", "pk", f"meeting__group__{_PLAN_SLUG}"),
    ("punkter", "", "pk"): ("meetings.AgendaItem", "pk", f"meeting__group__{_PLAN_SLUG}"),
    ("punkter", "", "item"): ("meetings.AgendaItem", "pk", f"meeting__group__{_PLAN_SLUG}"),
    ("uppdrag", "", "action"): ("meetings.Action", "pk", f"item__meeting__group__{_PLAN_SLUG}"),
    ("anvandare", "inbjudningar", "pk"): ("accounts.Invitation", "pk", "organisation__region_id"),
    ("anvandare", "", "pk"): ("accounts.Membership", "pk", "organisation__region_id"),
    ("lan", "", "code"): ("accounts.Region", "code", "pk"),
}


def county_named(route: str, kwargs: dict) -> int | None:
    """The id of the county whose object a back-office route ("arbete/svar/<int:pk>/") names
    with these values, or None when it names none (or one that is not there, or one of no
    county, such as a national support line)."""
    segments = [s for s in route.split("/") if s]
    if "arbete" not in segments:
        return None
    segments = [*segments[segments.index("arbete") + 1 :], "", ""]
    first, second = segments[0], segments[1] if "<" not in segments[1] else ""
    for keyword, value in kwargs.items():
        entry = NAMED.get((first, second, keyword)) or NAMED.get((first, "", keyword))
        if entry is not None:
            return _county_of(*entry, value)
    if first == "stod" and "pk" in kwargs:
        return _county_of_service(kwargs["pk"])
    return None


def _county_of(label: str, field: str, path: str, value) -> int | None:
    model = apps.get_model(label)
    try:
        found = model.objects.filter(**{field: value}).values_list(path, flat=True).first()
    except (ValueError, TypeError, OverflowError):
        return None
    if path.endswith(_PLAN_SLUG) and found is not None:
        plans = apps.get_model("plans.Plan").objects
        return plans.filter(slug=found).values_list("region_id", flat=True).first()
    return found


def _county_of_service(pk) -> int | None:
    from nollvision.accounts.tenancy import region_of_area_code

    services = apps.get_model("support.SupportService").objects
    code = services.filter(pk=pk).values_list("area__code", flat=True).first()
    region = region_of_area_code(code) if code else None
    return region.pk if region else None


def refused(request, exception=None):
    """Django's handler403: 404 for another county's object, else the usual 403 page."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == "backoffice" and request.user.is_authenticated:
        county = county_named(match.route, match.kwargs)
        if county is not None and county not in member_regions(request.user):
            return page_not_found(request, exception)
    return permission_denied(request, exception)
