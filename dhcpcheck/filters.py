"""Selections a user asks for when a capture is big: xid, client, type.

A filter decides per frame from the decoded message; it never changes what is
printed for the frames it keeps.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dhcpcheck.capture.frame import Frame
from dhcpcheck.decode.bootp import decode_bootp
from dhcpcheck.decode.link import find_datagram
from dhcpcheck.decode.options import MessageType


class FilterError(ValueError):
    """A filter argument that cannot be understood; the message says which."""


@dataclass(frozen=True, slots=True)
class PacketFilter:
    """Keep frames whose message matches every given criterion."""

    xids: frozenset[int] = frozenset()
    clients: frozenset[bytes] = frozenset()
    types: frozenset[int] = frozenset()

    @classmethod
    def parse(
        cls, xid: str | None, client: str | None, types: str | None
    ) -> "PacketFilter | None":
        """Build a filter from the comma-separated CLI values; None if all empty."""
        if not (xid or client or types):
            return None
        return cls(
            xids=frozenset(_xid(word) for word in _words(xid)),
            clients=frozenset(_mac(word) for word in _words(client)),
            types=frozenset(_message_type(word) for word in _words(types)),
        )

    def accepts(self, frame: Frame) -> bool:
        """True when the frame holds a DHCP message this filter keeps."""
        datagram = find_datagram(frame.data, frame.linktype)
        if datagram is None:
            return False
        message = decode_bootp(datagram.payload)
        if message is None:
            return False
        if self.xids and message.xid not in self.xids:
            return False
        if self.clients and message.client_hardware not in self.clients:
            return False
        return not self.types or message.message_type in self.types

    def apply(self, frames: Iterable[Frame]) -> Iterator[Frame]:
        """The frames this filter keeps, lazily."""
        return (frame for frame in frames if self.accepts(frame))


def _words(value: str | None) -> list[str]:
    return [word.strip() for word in (value or "").split(",") if word.strip()]


def _xid(word: str) -> int:
    try:
        value = int(word, 16)
    except ValueError:
        raise FilterError(f"--xid: not a hexadecimal xid: {word!r}") from None
    if not 0 <= value <= 0xFFFFFFFF:
        raise FilterError(f"--xid: {word!r} does not fit in 32 bits")
    return value


def _mac(word: str) -> bytes:
    try:
        return bytes.fromhex(word.replace(":", "").replace("-", ""))
    except ValueError:
        raise FilterError(f"--client: not a MAC address: {word!r}") from None


def _message_type(word: str) -> int:
    try:
        return MessageType[word.upper()]
    except KeyError:
        names = ", ".join(kind.name.lower() for kind in MessageType)
        raise FilterError(
            f"--type: no message type {word!r} (one of {names})"
        ) from None
