"""Reads about users' memberships, cached on the user object for one request."""

from django.db.models import Q

from .models import IdentityProvider, Invitation, Membership, Organisation, Role, User


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


def account_for_address(email: str) -> User | None:
    """The account an e-mail address belongs to: the one whose user name is the address (as
    invitations make them), else one whose e-mail is it. None for a new address."""
    address = email.strip()
    if not address:
        return None
    accounts = User.objects.filter(Q(username__iexact=address) | Q(email__iexact=address))
    return next(
        iter(sorted(accounts, key=lambda u: (u.username.lower() != address.lower(), u.pk))), None
    )


def invitations_managed_by(user):
    """Every invitation (in any state) to a body of the counties the user coordinates."""
    return Invitation.objects.filter(
        organisation__region_id__in=coordinated_region_ids(user)
    ).select_related("organisation__region", "invited_by")


def invitations_not_accepted(user):
    """The user's counties' invitations that nobody has accepted and the coordinator has not
    withdrawn: the valid ones first, then the expired ones."""
    return (
        invitations_managed_by(user)
        .filter(accepted_at__isnull=True, withdrawn_at__isnull=True)
        .order_by("-expires_at", "-pk")
    )


def invitation_managed_by(user, pk: int) -> Invitation | None:
    """One invitation of the user's counties, whatever its state (sending again or withdrawing
    one already accepted or withdrawn says so); None (a 404) for another county's."""
    return invitations_managed_by(user).filter(pk=pk).first()


def needs_two_factor(user) -> bool:
    """Coordinators and administrators must log in with a second factor."""
    return user.is_authenticated and (
        user.is_staff or user.is_superuser or bool(coordinated_region_ids(user))
    )


def provider_for_address(email: str) -> IdentityProvider | None:
    """The identity provider in use that answers for the address's domain, or None."""
    domain = email.strip().lower().rpartition("@")[2]
    if not domain or "@" not in email:
        return None
    for provider in IdentityProvider.objects.filter(active=True).select_related(
        "organisation__region"
    ):
        if domain in provider.domain_list:
            return provider
    return None


def county_boards_of(organisation: Organisation) -> list[Organisation]:
    """The organisations whose people coordinate the plan of `organisation`'s county (the
    county administrative board): whom to ask when logging in does not work."""
    if not organisation.region_id:
        return []
    return list(
        Organisation.objects.filter(
            Q(kind__code="county-board") | Q(memberships__role=Role.COORDINATOR),
            region_id=organisation.region_id,
        )
        .distinct()
        .order_by("name")
    )


def providers_of_county(region_id: int | None):
    """The identity providers of a county's organisations, for staff."""
    return IdentityProvider.objects.filter(organisation__region_id=region_id).select_related(
        "organisation__region"
    )
