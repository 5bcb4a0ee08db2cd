"""Reads about users' memberships, cached on the user object for one request."""

from .models import Membership, Organisation, Role


def memberships_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_nollvision_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation__region"))
        user._nollvision_memberships = cached
    return cached


def role_in(user, organisation_id: int) -> str | None:
    for membership in memberships_of(user):
        if membership.organisation_id == organisation_id:
            return membership.role
    return None


def has_active_role(user) -> bool:
    """The one gate of the back office: a person reaches work pages, group material, downloads
    and calendar feeds only while they hold a role (or are staff). Read on every request, so
    removing the last role takes effect at the person's next request in every open session."""
    return (
        user.is_authenticated and user.is_active and (user.is_staff or bool(memberships_of(user)))
    )


def coordinated_region_ids(user) -> set[int]:
    """Counties whose plans the user coordinates (coordinator at a body of that county)."""
    return {
        m.organisation.region_id
        for m in memberships_of(user)
        if m.role == Role.COORDINATOR and m.organisation.region_id
    }


def reader_region_ids(user) -> set[int]:
    return {m.organisation.region_id for m in memberships_of(user) if m.organisation.region_id}


def organisations_coordinated_by(user):
    return Organisation.objects.filter(region_id__in=coordinated_region_ids(user)).select_related(
        "kind"
    )


def needs_two_factor(user) -> bool:
    """Coordinators and administrators must log in with a second factor."""
    return user.is_authenticated and (
        user.is_staff or user.is_superuser or bool(coordinated_region_ids(user))
    )
