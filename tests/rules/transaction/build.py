"""Build transactions for the transaction-rule tests, and run rules on them.

Messages come from the packet builder through the decoder, as in
tests/transactions/conftest.py, and are grouped by the real Tracker. Frames
are numbered from 1 in the order messages are built.
"""

from collections.abc import Iterable, Mapping
from functools import cache
from ipaddress import IPv4Address
from itertools import count
from pathlib import Path

from dhcpcheck.capture import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.options import Option, addresses
from dhcpcheck.decode.bootp import decode_bootp
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.pipeline import Analysis
from dhcpcheck.rules.base import Finding, Hit, Settings, TransactionRule
from dhcpcheck.transactions.model import Seen, Transaction
from dhcpcheck.transactions.tracker import Tracker

ROOT = Path(__file__).parents[3]
CLIENT = "fa:16:3e:d6:62:84"
SERVER = "192.0.2.1"
OTHER = "192.0.2.2"
ADDRESS = "192.0.2.107"
BROADCAST = "255.255.255.255"
XID = 0x6265AB6D
MT = MessageType
_REPLIES = frozenset({MT.OFFER, MT.ACK, MT.NAK, 11, 12, 13})


class Messages:
    """messages(time, type, **Bootp fields): one `Seen`, numbered as a frame.

    Client messages go 0.0.0.0:68 -> 255.255.255.255:67 and replies
    SERVER:67 -> 255.255.255.255:68 unless `src`, `dst`, `sport`, `dport` say
    otherwise; `relayed` puts a message on the relay leg (port 67 both ends).
    """

    def __init__(self) -> None:
        self._frames = count(1)

    def __call__(
        self,
        time: float,
        kind: int | None,
        *,
        options: Iterable[Option] = (),
        src: str | None = None,
        dst: str = BROADCAST,
        sport: int | None = None,
        dport: int | None = None,
        relayed: bool = False,
        **fields: object,
    ) -> Seen:
        fields.setdefault("xid", XID)
        fields.setdefault("chaddr", CLIENT)
        reply = kind in _REPLIES
        fields.setdefault("op", 2 if reply else 1)
        head = [(OptionCode.MESSAGE_TYPE, bytes([kind]))] if kind is not None else []
        message = decode_bootp(Bootp(options=[*head, *options], **fields).encode())
        assert message is not None
        ports = (67, 67) if relayed else (67, 68) if reply else (68, 67)
        return Seen(
            frame=next(self._frames),
            time=time,
            ip_src=IPv4Address(src or (SERVER if reply else "0.0.0.0")),
            ip_dst=IPv4Address(dst),
            sport=sport or ports[0],
            dport=dport or ports[1],
            mac_src=None,
            message=message,
        )


def server_id(address: str = SERVER) -> Option:
    return addresses(OptionCode.SERVER_ID, address)


def requested(address: str = ADDRESS) -> Option:
    return addresses(OptionCode.REQUESTED_IP, address)


def dora(
    messages: Messages,
    start: float = 0.0,
    *,
    offer: Iterable[Option] = (),
    request: Iterable[Option] = (),
    ack: Iterable[Option] = (),
    acked_by: str = SERVER,
    acked: str = ADDRESS,
    **fields: object,
) -> list[Seen]:
    """DISCOVER, OFFER, REQUEST and ACK 10 ms apart, extra options in each;
    `acked_by` and `acked` change the ACK's server and yiaddr."""
    return [
        messages(start, MT.DISCOVER, options=request, **fields),
        messages(start + 0.01, MT.OFFER, options=[server_id(), *offer], yiaddr=ADDRESS),
        messages(
            start + 0.02,
            MT.REQUEST,
            options=[server_id(), requested(), *request],
            **fields,
        ),
        messages(
            start + 0.03,
            MT.ACK,
            options=[server_id(acked_by), *ack],
            src=acked_by,
            yiaddr=acked,
        ),
    ]


def track(messages: Iterable[Seen]) -> list[Transaction]:
    """Every transaction the tracker makes of `messages`, in order of start."""
    tracker = Tracker()
    closed = [txn for seen in messages for txn in tracker.feed(seen)]
    return sorted(closed + tracker.finish(), key=lambda txn: txn.start)


def one(messages: Iterable[Seen]) -> Transaction:
    """The single transaction `messages` make."""
    (txn,) = track(messages)
    return txn


def run(
    rule: TransactionRule,
    txn: Transaction,
    settings: Mapping[str, object] | None = None,
) -> list[Hit]:
    """The rule's hits on `txn`, with its defaults overridden by `settings`."""
    values = {name: setting.default for name, setting in rule.settings.items()}
    return list(rule.check(txn, Settings({**values, **(settings or {})})))


@cache
def findings(sample: str) -> tuple[Finding, ...]:
    """What all DHC2xx rules find in a capture under samples/, by default."""
    path = ROOT / "samples" / sample
    analysis = Analysis(load_config(None, select=["DHC2"]), str(path))
    return tuple(
        event
        for event in analysis.run(read_frames(str(path)))
        if isinstance(event, Finding)
    )


def found(sample: str, code: str) -> list[str]:
    """The messages of rule `code` on `sample`."""
    return [finding.message for finding in findings(sample) if finding.code == code]
