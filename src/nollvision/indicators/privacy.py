"""Small counts of people are never shown publicly (statistical disclosure control)."""


def is_suppressed(indicator, value, threshold: int) -> bool:
    """A count of people above zero and below the threshold is hidden on public pages, so that
    no one in a small municipality can be identified. Rates and shares are not counts."""
    return bool(indicator.counts_people) and value is not None and 0 < value < threshold
