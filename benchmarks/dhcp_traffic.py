"""The DHCP side of the generated captures: clients of two servers over hours.

Each kind of message is crafted once with dhcpcheck.craft, with placeholder
client values; every copy patches one client's values in and redoes the IPv4
and UDP checksums, which costs microseconds where crafting costs tens.
"""

import heapq
import struct
from collections.abc import Iterator
from dataclasses import dataclass, replace
from ipaddress import IPv4Address
from random import Random

from dhcpcheck.craft import options as opt
from dhcpcheck.craft.bootp import Bootp, BootpFlag, BootpOp
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.options import Option
from dhcpcheck.decode.ip import internet_checksum
from dhcpcheck.decode.options import MessageType, OptionCode

LEASE, T1, T2 = 600, 300, 525  # seconds; the RFC 2131 ratios 0.5 and 0.875
IP_AT, UDP_AT, BOOTP_AT = 14, 34, 42  # offsets in an untagged Ethernet frame
PLACEHOLDER_MAC = bytes.fromhex("02deadbeef01")
PLACEHOLDER_IP = "198.51.100.77"
PLACEHOLDER_HOST = b"hXXXXXXXXX"  # client host names are ten bytes too
ANY = "0.0.0.0"


@dataclass(frozen=True, slots=True)
class Host:
    """A server, relay or rogue: its addresses on the captured segment."""

    ip: str
    mac: str


SERVERS = (
    Host("10.20.0.2", "02:00:00:00:0a:02"),
    Host("10.20.0.3", "02:00:00:00:0a:03"),
)
CLIENT = Host(PLACEHOLDER_IP, PLACEHOLDER_MAC.hex(":"))  # patched in each copy
EVERYONE = Host("255.255.255.255", "ff:ff:ff:ff:ff:ff")
ROGUE = Host("10.20.0.66", "02:00:00:00:0a:66")
RELAY = Host("10.20.0.1", "02:00:00:00:0a:01")  # its server-side interface
RELAY_GIADDR = "10.30.0.1"  # its client-side interface, where relayed clients live
PARAMETERS = opt.parameter_request(1, 3, 6, 15, 26, 28)
CLIENT_ID = (OptionCode.CLIENT_ID, b"\x01" + PLACEHOLDER_MAC)


@dataclass(frozen=True, slots=True)
class Client:
    """One client's values as they go into a frame."""

    mac: bytes
    ip: bytes
    hostname: bytes
    relayed: bool


def client(index: int, relayed: bool) -> Client:
    """The ``index``-th client: its MAC, address and host name follow from it."""
    subnet = 30 if relayed else 20
    ip = bytes((10, subnet, 1 + index // 250, 2 + index % 250))
    mac = b"\x02\x1c" + index.to_bytes(4, "big")
    return Client(mac, ip, b"h%09d" % index, relayed)


@dataclass(frozen=True, slots=True)
class Template:
    """A crafted frame and where the client's values go in it."""

    frame: bytes
    macs: tuple[int, ...]
    ips: tuple[int, ...]
    hosts: tuple[int, ...]

    @classmethod
    def of(cls, frame: bytes) -> "Template":
        """Find the placeholders in ``frame``."""
        return cls(
            frame,
            _offsets(frame, PLACEHOLDER_MAC),
            _offsets(frame, IPv4Address(PLACEHOLDER_IP).packed),
            _offsets(frame, PLACEHOLDER_HOST),
        )

    def fill(self, who: Client, xid: int, secs: int, ident: int) -> bytes:
        """This frame as ``who`` sends or receives it in exchange ``xid``."""
        buf = bytearray(self.frame)
        for at in self.macs:
            buf[at : at + 6] = who.mac
        for at in self.ips:
            buf[at : at + 4] = who.ip
        for at in self.hosts:
            buf[at : at + 10] = who.hostname
        struct.pack_into("!H", buf, IP_AT + 4, ident)
        struct.pack_into("!IH", buf, BOOTP_AT + 4, xid, secs)
        _checksums(buf)
        return bytes(buf)


def _offsets(frame: bytes, placeholder: bytes) -> tuple[int, ...]:
    found = []
    at = frame.find(placeholder)
    while at >= 0:
        found.append(at)
        at = frame.find(placeholder, at + 1)
    return tuple(found)


def _checksums(buf: bytearray) -> None:
    """Redo the IPv4 header checksum and the UDP checksum of ``buf``."""
    buf[IP_AT + 10 : IP_AT + 12] = b"\0\0"
    header = bytes(buf[IP_AT:UDP_AT])
    struct.pack_into("!H", buf, IP_AT + 10, internet_checksum(header))
    (length,) = struct.unpack_from("!H", buf, UDP_AT + 4)
    buf[UDP_AT + 6 : UDP_AT + 8] = b"\0\0"
    pseudo = buf[IP_AT + 12 : IP_AT + 20] + b"\0\x11" + buf[UDP_AT + 4 : UDP_AT + 6]
    summed = internet_checksum(bytes(pseudo + buf[UDP_AT : UDP_AT + length]))
    struct.pack_into("!H", buf, UDP_AT + 6, summed or 0xFFFF)


def _frame(message: Bootp, src: Host, dst: Host, ports: tuple[int, int]) -> bytes:
    """``message`` in UDP, IPv4 and Ethernet."""
    packet = udp_ipv4(message.encode(), IPv4(src=src.ip, dst=dst.ip), UDP(*ports))
    return ethernet(packet, src=src.mac, dst=dst.mac)


def _request(kind: MessageType, *options: Option, **fields: object) -> Bootp:
    head = (opt.message_type(kind), CLIENT_ID)
    return Bootp(chaddr=PLACEHOLDER_MAC, options=(*head, *options), **fields)  # type: ignore[arg-type]


def _reply(
    kind: MessageType, server: Host, *options: Option, **fields: object
) -> Bootp:
    """A server message, echoing the client identifier as RFC 6842 asks."""
    head = (opt.message_type(kind), opt.addresses(OptionCode.SERVER_ID, server.ip))
    return Bootp(
        op=BootpOp.BOOTREPLY,
        chaddr=PLACEHOLDER_MAC,
        options=(*head, *options, CLIENT_ID),
        min_length=0,
        **fields,  # type: ignore[arg-type]
    )


def _lease(relayed: bool) -> tuple[Option, ...]:
    """What an ACK or OFFER grants on the client's subnet: all it asks for."""
    subnet = "10.30" if relayed else "10.20"
    return (
        opt.uint32(OptionCode.LEASE_TIME, LEASE),
        opt.uint32(OptionCode.RENEWAL_TIME, T1),
        opt.uint32(OptionCode.REBINDING_TIME, T2),
        opt.addresses(OptionCode.SUBNET_MASK, "255.255.0.0"),
        opt.addresses(OptionCode.ROUTER, f"{subnet}.0.1"),
        opt.addresses(OptionCode.DOMAIN_NAME_SERVER, "10.20.0.53"),
        opt.text(OptionCode.DOMAIN_NAME, "bench.example"),
        opt.uint16(OptionCode.INTERFACE_MTU, 1500),
        opt.addresses(OptionCode.BROADCAST_ADDRESS, f"{subnet}.255.255"),
    )


def _client_leg(message: Bootp, relayed: bool, server: Host) -> bytes:
    """A broadcast from a client, or the relay's unicast of it to ``server``."""
    if not relayed:
        return _frame(message, Host(ANY, CLIENT.mac), EVERYONE, (68, 67))
    forwarded = replace(message, hops=1, giaddr=RELAY_GIADDR)
    return _frame(forwarded, RELAY, server, (67, 67))


def _server_leg(message: Bootp, relayed: bool, server: Host) -> bytes:
    """A reply to the client's new address, or to the relay."""
    if not relayed:
        return _frame(message, server, CLIENT, (67, 68))
    forwarded = replace(message, giaddr=RELAY_GIADDR)
    return _frame(forwarded, server, Host(RELAY_GIADDR, RELAY.mac), (67, 67))


def _templates() -> dict[tuple[str, int, bool], Template]:
    """Every message the simulation sends, by (name, server, relayed)."""
    host = (OptionCode.HOSTNAME, PLACEHOLDER_HOST)
    requested = opt.addresses(OptionCode.REQUESTED_IP, CLIENT.ip)
    found: dict[tuple[str, int, bool], bytes] = {}
    for index, server in enumerate((*SERVERS, ROGUE)):
        named = opt.addresses(OptionCode.SERVER_ID, server.ip)
        for relayed in (False, True):
            discover = _request(MessageType.DISCOVER, host, PARAMETERS)
            select = _request(MessageType.REQUEST, named, requested, host, PARAMETERS)
            decline = _request(MessageType.DECLINE, named, requested)
            lease = _lease(relayed)
            offer = _reply(MessageType.OFFER, server, *lease, yiaddr=CLIENT.ip)
            ack = _reply(MessageType.ACK, server, *lease, yiaddr=CLIENT.ip)
            found |= {
                ("discover", index, relayed): _client_leg(discover, relayed, server),
                ("select", index, relayed): _client_leg(select, relayed, server),
                ("decline", index, relayed): _client_leg(decline, relayed, server),
                ("offer", index, relayed): _server_leg(offer, relayed, server),
                ("ack", index, relayed): _server_leg(ack, relayed, server),
            }
            found |= _unicast(index, server, relayed)
    return {key: Template.of(frame) for key, frame in found.items()}


def _unicast(
    index: int, server: Host, relayed: bool
) -> dict[tuple[str, int, bool], bytes]:
    """Renewals, releases and informs go straight between client and server,
    through the router when the client is on the relay's side."""
    at = {"ciaddr": CLIENT.ip}
    lease = _lease(relayed)
    renew = _request(MessageType.REQUEST, PARAMETERS, **at)
    release = _request(MessageType.RELEASE, opt.addresses(54, server.ip), **at)
    inform = _request(MessageType.INFORM, PARAMETERS, **at)
    ack = _reply(MessageType.ACK, server, *lease, yiaddr=CLIENT.ip, **at)
    informed = _reply(MessageType.ACK, server, *lease[3:], **at)
    refusal = opt.text(OptionCode.MESSAGE, "address not available")
    nak = _reply(MessageType.NAK, server, refusal, flags=BootpFlag.BROADCAST)
    client = Host(CLIENT.ip, RELAY.mac) if relayed else CLIENT
    frames = {
        "renew": _frame(renew, client, server, (68, 67)),
        "release": _frame(release, client, server, (68, 67)),
        "inform": _frame(inform, client, server, (68, 67)),
        "renewed": _frame(ack, server, client, (67, 68)),
        "informed": _frame(informed, server, client, (67, 68)),
        "nak": _frame(nak, server, EVERYONE, (67, 68)),
    }
    return {(name, index, relayed): frame for name, frame in frames.items()}


# How often each thing happens, per exchange.
RESENT = 0.03  # a DISCOVER or renewing REQUEST goes out twice
NO_OFFER = 0.003  # nobody answers a DISCOVER
ROGUE_OFFER = 0.002  # a third, unexpected server offers too
DECLINED = 0.002  # the client finds its new address in use
RELEASED = 0.005  # the client gives its lease back instead of renewing
NAKED = 0.01  # a server refuses a renewal
INFORMS = 0.005  # a bound client asks for configuration only
RELAYED_SHARE = 0.3  # of clients, behind the relay
BOOTING = 0.02  # of clients, without a lease when the capture starts

Queued = tuple[float, int, int, bytes]  # time, order, client, frame (b"": acts)


class Network:
    """Clients that come up, renew and now and then fail, in time order.

    Two servers answer every DISCOVER; the client takes one of the offers
    and renews with that server at T1 until a NAK, release or decline sends
    it back to DISCOVER. A share of the clients sits behind a relay.
    """

    def __init__(self, clients: int, seed: int, start: float) -> None:
        self._rng = Random(seed)
        self._templates = _templates()
        relayed = int(clients * RELAYED_SHARE)
        self._clients = [client(i, i < relayed) for i in range(clients)]
        self._bound_to: list[int | None] = [None] * clients
        self._queue: list[Queued] = []
        self._order = 0
        # The capture starts on a working network: most clients hold a lease
        # and renew within T1; a few are booting.
        for index in range(clients):
            if self._rng.random() < BOOTING:
                self._wake(index, start + self._rng.uniform(0, 2 * T1))
            else:
                self._bound_to[index] = self._choose(self._clients[index])
                self._wake(index, start + self._rng.uniform(0, T1))

    def frames(self) -> Iterator[tuple[float, bytes]]:
        """Every frame the capture sees, with its time, without end."""
        while True:
            time, _, index, frame = heapq.heappop(self._queue)
            if frame:
                yield time, frame
            elif self._bound_to[index] is None:
                self._discover(index, time)
            else:
                self._renew(index, time)

    def _discover(self, index: int, now: float) -> None:
        who, rng = self._clients[index], self._rng
        xid, roll = rng.getrandbits(32), rng.random()
        sent = [0, 4, 12] if roll < NO_OFFER else [0, 4] if roll < RESENT else [0]
        for secs in sent:
            self._from_client(now + secs, "discover", 0, who, xid, secs)
        if roll < NO_OFFER:
            self._wake(index, now + 30)
            return
        now += sent[-1]
        for server in self._offering(who):
            self._send(now + rng.uniform(0.001, 0.02), "offer", server, who, xid)
        chosen = self._choose(who)
        asked = now + rng.uniform(0.03, 0.06)
        self._from_client(asked, "select", chosen, who, xid, sent[-1])
        acked = asked + rng.uniform(0.001, 0.01)
        self._send(acked, "ack", chosen, who, xid)
        if rng.random() < DECLINED:
            self._from_client(acked + 1, "decline", chosen, who, rng.getrandbits(32))
            self._wake(index, acked + 11)
            return
        self._bound_to[index] = chosen
        self._wake(index, asked + T1 + rng.uniform(0, 3))

    def _renew(self, index: int, now: float) -> None:
        who, rng = self._clients[index], self._rng
        server = self._bound_to[index] or 0
        xid, roll = rng.getrandbits(32), rng.random()
        if roll < RELEASED:
            self._send(now, "release", server, who, xid)
            self._bound_to[index] = None
            self._wake(index, now + rng.uniform(60, 900))
            return
        sent = [0, 8] if roll < RESENT else [0]
        for secs in sent:
            self._send(now + secs, "renew", server, who, xid, secs)
        answered = now + sent[-1] + rng.uniform(0.001, 0.01)
        if rng.random() < NAKED:
            self._send(answered, "nak", server, who, xid)
            self._bound_to[index] = None
            self._wake(index, answered + 2)
            return
        self._send(answered, "renewed", server, who, xid)
        if rng.random() < INFORMS:
            xid = rng.getrandbits(32)
            self._send(answered + 1, "inform", server, who, xid)
            self._send(answered + 1.005, "informed", server, who, xid)
        self._wake(index, now + T1 + rng.uniform(0, 3))

    def _offering(self, who: Client) -> list[int]:
        """Both servers answer on the segment; the relay forwards to the first
        only. A rogue on the segment now and then answers too."""
        if who.relayed:
            return [0]
        return [0, 1, 2] if self._rng.random() < ROGUE_OFFER else [0, 1]

    def _choose(self, who: Client) -> int:
        return 0 if who.relayed or self._rng.random() < 0.6 else 1

    def _from_client(
        self, time: float, name: str, server: int, who: Client, xid: int, secs: int = 0
    ) -> None:
        """A client broadcast, or the relay's copy of it for the first server."""
        self._send(time, name, 0 if who.relayed else server, who, xid, secs)

    def _send(
        self, time: float, name: str, server: int, who: Client, xid: int, secs: int = 0
    ) -> None:
        template = self._templates[name, server, who.relayed]
        frame = template.fill(who, xid, secs, self._order & 0xFFFF)
        self._push(time, -1, frame)

    def _wake(self, index: int, time: float) -> None:
        self._push(time, index, b"")

    def _push(self, time: float, index: int, frame: bytes) -> None:
        self._order += 1
        heapq.heappush(self._queue, (time, self._order, index, frame))
