from django import template

from nollvision.followup.enums import RoutineState

from ..assemble import status_label

register = template.Library()


@register.filter
def matrix_row(matrix, measure):
    return matrix.row(measure)


@register.simple_tag
def body_row(matrix, body, measures):
    return matrix.body_row(body, measures)


@register.filter
def completeness(matrix, measure):
    return matrix.completeness(measure)


@register.filter
def status_short(status):
    return status_label(status)


@register.filter
def texts(assembled, measure_id):
    return assembled.texts(measure_id)


@register.filter
def routine_state(state):
    return str(dict(RoutineState.choices).get(state, "–"))


@register.filter
def get(mapping, key):
    return mapping.get(key)


@register.simple_tag
def goal_measures(matrix, number):
    return [m for m in matrix.measures if m.goal == number]


@register.filter
def course_shares(competence):
    from nollvision.core.charts import percent
    from nollvision.followup.enums import Course

    return [percent(competence.share(course)) for course in Course.values]


ABBREVIATIONS = {
    "implemented": "G",
    "ongoing": "P",
    "planned": "Pl",
    "not_started": "E",
    "not_relevant": "I",
    "missing": "?",
}


@register.filter
def status_abbrev(status):
    """One or two letters for the measure x body matrix of printed reports (legend beside it)."""
    return ABBREVIATIONS.get(status, "")


@register.filter
def percent_filter(value):
    from nollvision.core.charts import percent

    return percent(value)


@register.filter
def share_of(counts, status):
    """A status's share of StatusCounts, as a percentage text."""
    from nollvision.core.charts import percent

    return percent(counts.share(status))


@register.filter
def body_answers(assembled, body_id):
    return assembled.body_answers(body_id)
