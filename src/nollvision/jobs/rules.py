"""Who may follow a job: the person who started it, and the coordinators of its county (a
colleague sees that a publication is under way). Staff follow jobs in the admin."""

import rules

from nollvision.accounts.selectors import coordinated_region_ids, has_active_role


@rules.predicate
def started_it(user, job) -> bool:
    return job is not None and user.is_authenticated and job.started_by_id == user.pk


@rules.predicate
def coordinates_its_county(user, job) -> bool:
    return (
        job is not None
        and user.is_authenticated
        and job.region_id is not None
        and has_active_role(user)
        and job.region_id in coordinated_region_ids(user)
    )


rules.add_perm("jobs.view_job", started_it | coordinates_its_county)
