"""Server replies as the capture rules count them: once each, relay copies
left out, with the segment they were meant for.

Helpers only, no rule lives here.
"""

from collections.abc import Iterator
from ipaddress import IPv4Address

from dhcpcheck.decode.options import MessageType
from dhcpcheck.transactions.model import Seen, Transaction

ANSWERS = frozenset({MessageType.OFFER, MessageType.ACK, MessageType.NAK})
LOCAL = IPv4Address(0)  # 'giaddr' of a reply to a client on the server's segment


def replies(txn: Transaction) -> Iterator[tuple[MessageType, Seen]]:
    """The OFFERs, ACKs and NAKs of `txn`, each once, with their type."""
    for step in txn.steps:
        kind = step.seen.type
        if step.copy_of is None and kind in ANSWERS:
            yield MessageType(kind), step.seen


def segment(giaddr: IPv4Address) -> str:
    """A segment as findings name it: by its relay's address, if any."""
    return "the local segment" if giaddr == LOCAL else f"the segment of relay {giaddr}"


def plural(count: int, noun: str) -> str:
    """`1 reply`, `2 replies`, `3 OFFERs`."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"
