class PlanError(Exception):
    """A use case on plans was refused; the message says why and is shown to the user."""
