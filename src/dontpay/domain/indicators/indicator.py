"""What an indicator is: a typed, canonical value found at a place in a text."""

from dataclasses import dataclass


class InvalidIndicator(ValueError):
    """A value that is not a usable indicator; the message says why, for the person who typed it."""


@dataclass(frozen=True)
class Indicator:
    """One canonical value; two reports sharing a `key` are linked by it."""

    type: str
    value: str
    span: tuple[int, int]
    platform: str | None = None
    network: str | None = None

    @property
    def key(self) -> str:
        """The linking key: equal keys mean the same phone, handle, wallet…, however spelt."""
        return f"{self.type}:{self.platform or self.network or ''}:{self.value}"

    def as_dict(self) -> dict[str, object]:
        shape: dict[str, object] = {"type": self.type, "value": self.value}
        if self.platform is not None:
            shape["platform"] = self.platform
        if self.network is not None:
            shape["network"] = self.network
        shape["span"] = [self.span[0], self.span[1]]
        return shape
