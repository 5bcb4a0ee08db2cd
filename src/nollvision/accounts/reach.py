"""What a reminder or notice reached: the logs of the bodies it was sent to, and the bodies no
one could receive it at (no person with a role and an e-mail address there). Those are never
recorded as reached; the page that sent it names them and links to inviting someone."""


class Reached(list):
    """A list of the logs of the bodies reached, with `unreachable`: the bodies (organisations)
    it could not reach, in the order they were due."""

    def __init__(self, logs=(), unreachable=()):
        super().__init__(logs)
        self.unreachable = list(unreachable)
