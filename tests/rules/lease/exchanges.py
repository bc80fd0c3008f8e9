"""Build clients' exchanges for lease and capture rule tests, and run rules.

Messages come from the packet builder through the decoder, as in
tests/transactions; times are seconds from 0. One client and one server
unless told otherwise.
"""

from collections.abc import Iterable
from ipaddress import IPv4Address
from itertools import count
from pathlib import Path
from typing import Any

from dhcpcheck.capture.source import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.options import Option, addresses, text, uint32
from dhcpcheck.decode.bootp import decode_bootp
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.pipeline import Analysis
from dhcpcheck.rules.base import CaptureRule, ClientRule, Finding, Hit, Settings
from dhcpcheck.transactions.leases import Client, Clients
from dhcpcheck.transactions.model import Seen, Transaction
from dhcpcheck.transactions.tracker import Tracker

ROOT = Path(__file__).parents[3]
SAMPLES = ROOT / "samples"
CLIENT = "00:00:5e:00:53:10"
SERVER = "192.0.2.1"
ADDRESS = "192.0.2.107"
BROADCAST = "255.255.255.255"
MT = MessageType
_REPLIES = frozenset({MT.OFFER, MT.ACK, MT.NAK})


class Exchanges:
    """Messages of whole exchanges, numbered as frames in the order built."""

    def __init__(self) -> None:
        self._frames = count(1)
        self._xids = count(0x1000)

    def seen(
        self,
        time: float,
        kind: MessageType,
        *,
        options: Iterable[Option] = (),
        src: str = "0.0.0.0",
        dst: str = BROADCAST,
        mac_src: str | None = None,
        relayed: bool = False,
        **fields: Any,
    ) -> Seen:
        """One message; `fields` are Bootp fields (xid, chaddr, yiaddr...)."""
        fields.setdefault("chaddr", CLIENT)
        fields.setdefault("op", 2 if kind in _REPLIES else 1)
        head = ((OptionCode.MESSAGE_TYPE, bytes([kind])),)
        message = decode_bootp(Bootp(options=head + tuple(options), **fields).encode())
        assert message is not None
        sport, dport = (67, 68) if kind in _REPLIES else (68, 67)
        return Seen(
            frame=next(self._frames),
            time=time,
            ip_src=IPv4Address(src),
            ip_dst=IPv4Address(dst),
            sport=67 if relayed else sport,
            dport=67 if relayed else dport,
            mac_src=mac_src,
            message=message,
        )

    def dora(
        self,
        at: float,
        *,
        client: str = CLIENT,
        address: str = ADDRESS,
        server: str = SERVER,
        lease: int | None = 3600,
        t1: int | None = 1800,
        t2: int | None = 3150,
        extra: Iterable[Option] = (),
        giaddr: str = "0.0.0.0",
        mac_src: str | None = None,
    ) -> list[Seen]:
        """DISCOVER, OFFER, REQUEST, ACK, 0.1 s apart; the REQUEST at `at`."""
        grant = (*_grant(server, lease, t1, t2), *extra)
        wants = (
            addresses(OptionCode.REQUESTED_IP, address),
            addresses(OptionCode.SERVER_ID, server),
        )
        both: dict[str, Any] = {
            "xid": next(self._xids),
            "chaddr": client,
            "giaddr": giaddr,
        }
        reply: dict[str, Any] = {
            "src": server,
            "dst": address,
            "yiaddr": address,
            "mac_src": mac_src,
        }
        return [
            self.seen(at - 0.2, MT.DISCOVER, **both),
            self.seen(at - 0.1, MT.OFFER, options=grant, **reply, **both),
            self.seen(at, MT.REQUEST, options=wants, **both),
            self.seen(at + 0.1, MT.ACK, options=grant, **reply, **both),
        ]

    def extend(
        self,
        at: float,
        *,
        answer: MessageType | None = MT.ACK,
        broadcast: bool = False,
        client: str = CLIENT,
        address: str = ADDRESS,
        server: str = SERVER,
        lease: int | None = 3600,
        t1: int | None = 1800,
        t2: int | None = 3150,
    ) -> list[Seen]:
        """A RENEWING (unicast) or REBINDING (broadcast) REQUEST and its answer."""
        both: dict[str, Any] = {
            "xid": next(self._xids),
            "chaddr": client,
            "ciaddr": address,
        }
        sent = self.seen(
            at, MT.REQUEST, src=address, dst=BROADCAST if broadcast else server, **both
        )
        if answer is None:
            return [sent]
        grant = _grant(server, lease, t1, t2) if answer is MT.ACK else ()
        if answer is MT.NAK:
            grant = (addresses(OptionCode.SERVER_ID, server),)
        yiaddr = address if answer is MT.ACK else "0.0.0.0"
        reply = self.seen(
            at + 0.05,
            answer,
            options=grant,
            src=server,
            dst=address,
            yiaddr=yiaddr,
            **both,
        )
        return [sent, reply]

    def decline(
        self,
        at: float,
        *,
        client: str = CLIENT,
        address: str | None = ADDRESS,
        server: str | None = SERVER,
        message: bytes | None = None,
    ) -> Seen:
        """A DECLINE of `address` to `server` (None: option left out)."""
        options = []
        if address is not None:
            options.append(addresses(OptionCode.REQUESTED_IP, address))
        if server is not None:
            options.append(addresses(OptionCode.SERVER_ID, server))
        if message is not None:
            options.append(text(OptionCode.MESSAGE, message))
        return self.seen(
            at, MT.DECLINE, options=options, xid=next(self._xids), chaddr=client
        )

    def release(self, at: float, *, client: str = CLIENT) -> Seen:
        """A RELEASE of ADDRESS to SERVER."""
        return self.seen(
            at,
            MT.RELEASE,
            options=(addresses(OptionCode.SERVER_ID, SERVER),),
            src=ADDRESS,
            dst=SERVER,
            xid=next(self._xids),
            chaddr=client,
            ciaddr=ADDRESS,
        )


def _grant(
    server: str, lease: int | None, t1: int | None, t2: int | None
) -> tuple[Option, ...]:
    timers = (
        (OptionCode.LEASE_TIME, lease),
        (OptionCode.RENEWAL_TIME, t1),
        (OptionCode.REBINDING_TIME, t2),
    )
    sent = [uint32(code, value) for code, value in timers if value is not None]
    return (addresses(OptionCode.SERVER_ID, server), *sent)


def transactions_of(messages: Iterable[Seen]) -> list[Transaction]:
    """The transactions the tracker makes of `messages`, in time order."""
    tracker = Tracker()
    closed: list[Transaction] = []
    for seen in sorted(messages, key=lambda seen: seen.time):
        closed += tracker.feed(seen)
    return sorted(closed + tracker.finish(), key=lambda txn: txn.start)


def clients_of(messages: Iterable[Seen]) -> list[Client]:
    """Each client's history, as the pipeline keeps it."""
    clients = Clients()
    for txn in transactions_of(messages):
        clients.add(txn)
    return list(clients)


def settings(rule: ClientRule | CaptureRule, **given: object) -> Settings:
    """The rule's defaults; keyword names use `_` for the settings' `-`."""
    values = {name: setting.default for name, setting in rule.settings.items()}
    for key, value in given.items():
        name = key.replace("_", "-")
        assert name in values, name
        values[name] = value
    return Settings(values)


def client_hits(
    rule: ClientRule, messages: list[Seen], end: float | None = None, **given: object
) -> list[Hit]:
    """Every hit of a client rule, the capture ending at `end` or the last message."""
    last = max(seen.time for seen in messages) if end is None else end
    return [
        hit
        for client in clients_of(messages)
        for hit in rule.check(client, last, settings(rule, **given))
    ]


def capture_hits(
    rule: CaptureRule, messages: list[Seen], end: float | None = None, **given: object
) -> list[Hit]:
    """Every hit of a capture rule fed the transactions of `messages`."""
    check = rule.start(settings(rule, **given))
    clients = Clients()
    for txn in transactions_of(messages):
        clients.add(txn)
        check.add(txn)
    last = max(seen.time for seen in messages) if end is None else end
    return list(check.finish(clients, last))


def lab_samples(*firing: str) -> list[str]:
    """The lab captures (samples/lab/*.pcap) but those named, as `lab/NAME`."""
    every = sorted(path.name for path in (SAMPLES / "lab").glob("*.pcap"))
    return [f"lab/{name}" for name in every if name not in firing]


def sample_findings(name: str, code: str, config: Path | None = None) -> list[Finding]:
    """Findings of one rule over a sample capture, through the whole pipeline,
    configured by the file `config` if given."""
    path = SAMPLES / name
    analysis = Analysis(load_config(config, select=[code]), str(path))
    return [
        event
        for event in analysis.run(read_frames(str(path)))
        if isinstance(event, Finding)
    ]
