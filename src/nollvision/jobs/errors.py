class JobRefused(Exception):
    """The work cannot be done as asked (a rule refuses it): reported at once, never retried.
    Any other exception is taken as passing (a full disk, a lost connection) and retried."""
