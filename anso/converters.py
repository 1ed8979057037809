"""Path converters shared by the URLconfs."""


class YearConverter:
    """A calendar year from 1 to 9999, without leading zeros: other numbers match no URL (404),
    instead of reaching a date lookup that cannot hold them."""

    regex = "[1-9][0-9]{0,3}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
