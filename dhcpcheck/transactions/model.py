"""What the tracker works on and what it produces: seen messages and transactions.

Plain values only; grouping logic lives in `tracker`, lease logic in `leases`.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address

from dhcpcheck.decode.bootp import Message, Op
from dhcpcheck.decode.ip import Checksum
from dhcpcheck.decode.options import MessageType, OptionCode

BROADCAST = IPv4Address("255.255.255.255")
UNSET = IPv4Address(0)  # an address field left empty (ciaddr, giaddr...)
CLIENT_TYPES = frozenset(
    {
        MessageType.DISCOVER,
        MessageType.REQUEST,
        MessageType.DECLINE,
        MessageType.RELEASE,
        MessageType.INFORM,
        MessageType.LEASEQUERY,
        MessageType.BULKLEASEQUERY,  # RFC 6926, normally over TCP
        MessageType.ACTIVELEASEQUERY,  # RFC 7724, normally over TCP
    }
)

SERVER_TYPES = frozenset(MessageType) - CLIENT_TYPES


@dataclass(frozen=True, slots=True)
class Seen:
    """One DHCP message as one capture point saw it in one frame."""

    frame: int
    time: float  # seconds since the epoch
    ip_src: IPv4Address
    ip_dst: IPv4Address
    sport: int
    dport: int
    mac_src: str | None  # None where the link layer has no MAC (raw IP)
    message: Message
    source: str = ""  # the capture file or interface
    udp_checksum: Checksum | None = None  # None when not known (built in tests)
    # Read once here, as `Message.message_type` is: grouping and every rule
    # ask for them, millions of times in a long capture.
    type: int | None = field(init=False, compare=False, repr=False)
    from_client: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        kind = self.message.message_type
        object.__setattr__(self, "type", kind)
        object.__setattr__(self, "from_client", _from_client(kind, self.message.op))

    @property
    def relayed(self) -> bool:
        """Seen on the relay-to-server leg or server-to-relay leg (giaddr set)."""
        return self.message.giaddr != UNSET and self.sport == self.dport


def _from_client(kind: int | None, op: int) -> bool:
    """Client-originated: a client message type, else a BOOTREQUEST."""
    if kind in CLIENT_TYPES:
        return True
    if kind in SERVER_TYPES:
        return False
    return op == Op.BOOTREQUEST


class ClientState(StrEnum):
    """The client state a DHCPREQUEST was sent in (RFC 2131 section 4.3.2)."""

    SELECTING = "selecting"
    INIT_REBOOT = "init-reboot"
    RENEWING = "renewing"
    REBINDING = "rebinding"
    UNCLEAR = "unclear"  # fits no column of Table 4


def request_state(request: Seen) -> ClientState:
    """The Table 4 column a DHCPREQUEST fits, read as a server would.

    Option 54 means SELECTING (ciaddr zero); option 50 without it
    INIT-REBOOT; ciaddr RENEWING when unicast, REBINDING when broadcast. A
    request with ciaddr that came through a relay was broadcast, since only
    broadcasts are relayed: REBINDING.
    https://www.rfc-editor.org/rfc/rfc2131#section-4.3.2
    """
    message = request.message
    has_server_id = message.value(OptionCode.SERVER_ID) is not None
    if message.ciaddr == UNSET:
        if has_server_id:
            return ClientState.SELECTING
        if message.value(OptionCode.REQUESTED_IP) is not None:
            return ClientState.INIT_REBOOT
        return ClientState.UNCLEAR
    if has_server_id:
        return ClientState.UNCLEAR
    if message.giaddr != UNSET or request.ip_dst == BROADCAST:
        return ClientState.REBINDING
    return ClientState.RENEWING


class Kind(StrEnum):
    """What a transaction was for, from its first client message (RFC 2131)."""

    DORA = "dora"  # DISCOVER, OFFER, REQUEST, ACK: SELECTING
    RAPID_COMMIT = "rapid-commit"  # DISCOVER then ACK with option 80
    INIT_REBOOT = "init-reboot"
    RENEW = "renew"  # unicast REQUEST with ciaddr
    REBIND = "rebind"  # broadcast REQUEST with ciaddr
    INFORM = "inform"
    RELEASE = "release"
    DECLINE = "decline"
    LEASEQUERY = "leasequery"  # RFC 4388 types 10-13
    BOOTP = "bootp"  # no option 53
    UNKNOWN = "unknown"  # only replies seen, or a request in no Table 4 column


class Outcome(StrEnum):
    """How a transaction ended."""

    BOUND = "bound"
    NAK = "nak"
    NO_OFFER = "no-offer"
    OFFER_NOT_TAKEN = "offer-not-taken"
    NO_ACK = "no-ack"
    DECLINED = "declined"
    RELEASED = "released"
    INFORMED = "informed"
    ANSWERED = "answered"  # leasequery or BOOTP reply
    NO_ANSWER = "no-answer"  # leasequery, INFORM or BOOTP request unanswered
    CUT_OFF = "cut-off"  # the capture ended before the exchange could finish
    REPLY_ONLY = "reply-only"  # only server messages were seen
    EVICTED = "evicted"  # closed early: the tracker held too many at once


@dataclass(frozen=True, slots=True)
class Latency:
    """Step times in seconds; None where a step was not seen."""

    offer: float | None = None  # first DISCOVER to first OFFER
    request: float | None = None  # chosen OFFER to first REQUEST
    ack: float | None = None  # last REQUEST before the reply to the reply
    total: float | None = None  # first client message to the final reply


@dataclass(slots=True)
class Step:
    """A message within its transaction, with how it relates to the others."""

    seen: Seen
    retransmission: bool = False  # a client resend (same type, later)
    copy_of: int | None = None  # index of the same message seen across a relay


@dataclass(slots=True)
class Transaction:
    """Messages of one exchange: one xid, one client, nothing idle too long."""

    xid: int
    client: bytes  # htype byte + chaddr[:hlen], the grouping identity
    steps: list[Step] = field(default_factory=list)
    kind: Kind = Kind.UNKNOWN
    outcome: Outcome = Outcome.CUT_OFF
    latency: Latency = field(default_factory=Latency)

    @property
    def start(self) -> float:
        """Time of the first message."""
        return self.steps[0].seen.time

    @property
    def end(self) -> float:
        """Time of the last message."""
        return self.steps[-1].seen.time

    @property
    def client_mac(self) -> str:
        """The client's hardware address as text."""
        return self.client[1:].hex(":")

    @property
    def settling_reply(self) -> Seen | None:
        """The ACK or NAK that settles the exchange: the last one from the
        server the client's REQUEST named, else the last one from any server."""
        final = (MessageType.ACK, MessageType.NAK)
        replies = [
            s.seen for s in self.steps if s.copy_of is None and s.seen.type in final
        ]
        requests = self.of_type(MessageType.REQUEST)
        chosen = requests[0].message.value(OptionCode.SERVER_ID) if requests else None
        if chosen is not None:
            named = [
                r for r in replies if r.message.value(OptionCode.SERVER_ID) == chosen
            ]
            replies = named or replies
        return replies[-1] if replies else None

    def of_type(self, kind: MessageType) -> list[Seen]:
        """Messages of one DHCP type, copies across a relay left out."""
        return [
            step.seen
            for step in self.steps
            if step.copy_of is None and step.seen.type == kind
        ]
