"""The error for a request parameter whose value is not known (a 400 naming the field)."""


class ParamError(ValueError):
    """A parameter value the data does not know: the API answers 400 with ``field``."""

    def __init__(self, field, message):
        self.field = field
        self.message = str(message)
        super().__init__(f"{field}: {self.message}")
