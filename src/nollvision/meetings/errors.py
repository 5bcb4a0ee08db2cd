class MeetingRefused(Exception):
    """A rule of the meetings refuses the step; the message says why, in the person's language."""
