"""subnet-inconsistent: a reply's address, routers and broadcast address do
not fit its subnet mask.

What it checks
    Server messages with a contiguous subnet mask (1). The client's subnet
    is its address (yiaddr, or ciaddr in the DHCPACK to a DHCPINFORM) under
    that mask; then:

    - error: the address is the subnet's network or broadcast address (not
      on /31 and /32 networks, RFC 3021), so the client cannot use it; a
      router (3) is the client's own address.
    - warning: a router is outside the subnet, or is its network or
      broadcast address; the broadcast address (28) is neither the subnet's
      nor 255.255.255.255.

    Replies without a mask, or with a mask invalid-option-value reports,
    are not judged.

Why
    RFC 2132 section 3.5 (https://www.rfc-editor.org/rfc/rfc2132#section-3.5):
    "The router option specifies a list of IP addresses for routers on the
    client's subnet." Section 5.3
    (https://www.rfc-editor.org/rfc/rfc2132#section-5.3): "This option
    specifies the broadcast address in use on the client's subnet." A router
    off the subnet cannot be reached without a route to it, and a wrong
    mask or broadcast address splits the link's hosts.

Failing example
    A DHCPACK with yiaddr 192.0.2.107, mask 255.255.255.0 and router
    198.51.100.1: `router 198.51.100.1 outside the client's subnet
    192.0.2.0/24`.

Settings
    None.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.decode.values import ValueFormatError, addresses
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import ZERO, complete_value, hit
from dhcpcheck.transactions.model import BROADCAST, Seen

POINT_TO_POINT = 31  # RFC 3021: /31 and /32 have no network or broadcast address


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """Hits for each address of a reply that does not fit its subnet."""
    mask = complete_value(seen.message, OptionCode.SUBNET_MASK)
    if mask is None or len(mask) != 4 or seen.from_client:
        return
    field = "yiaddr" if seen.message.yiaddr != ZERO else "ciaddr"
    address: IPv4Address = getattr(seen.message, field)
    subnet = _subnet(address, int.from_bytes(mask))
    if subnet is None:
        return
    role = _special(address, subnet)
    if role:
        text = f"{field} {address} is the {role} address of {subnet}"
        yield hit(seen, text, field=field, severity=Severity.ERROR)
    yield from _routers(seen, address, subnet)
    yield from _broadcast(seen, subnet)


@dataclass(slots=True)
class _Subnet:
    """A subnet as integers: every reply has one, and an IPv4Network costs
    several times as much to make and to ask. Shown as one in findings."""

    network: int
    broadcast: int
    prefixlen: int
    mask: int

    def __contains__(self, address: IPv4Address) -> bool:
        return int(address) & self.mask == self.network

    def __str__(self) -> str:
        return str(IPv4Network((self.network, self.prefixlen)))


def _subnet(address: IPv4Address, mask: int) -> _Subnet | None:
    """The subnet of `address` under `mask`; None for no address or a mask
    that is not contiguous (invalid-option-value reports that)."""
    host_bits = ~mask & 0xFFFFFFFF
    if address == ZERO or host_bits & (host_bits + 1):
        return None
    network = int(address) & mask
    return _Subnet(network, network | host_bits, 32 - host_bits.bit_length(), mask)


def _special(address: IPv4Address, subnet: _Subnet) -> str | None:
    if subnet.prefixlen >= POINT_TO_POINT:
        return None
    if int(address) == subnet.network:
        return "network"
    return "broadcast" if int(address) == subnet.broadcast else None


def _routers(seen: Seen, address: IPv4Address, subnet: _Subnet) -> Iterator[Hit]:
    value = complete_value(seen.message, OptionCode.ROUTER)
    try:
        routers = addresses(value) if value is not None else ()
    except ValueFormatError:
        return  # bad-option-length reports it
    for router in routers:
        role = _special(router, subnet)
        if router == address:
            text = f"router {router} is the client's own address"
            yield hit(seen, text, option=OptionCode.ROUTER, severity=Severity.ERROR)
        elif router not in subnet:
            text = f"router {router} outside the client's subnet {subnet}"
            yield hit(seen, text, option=OptionCode.ROUTER)
        elif role:
            text = f"router {router} is the {role} address of {subnet}"
            yield hit(seen, text, option=OptionCode.ROUTER)


def _broadcast(seen: Seen, subnet: _Subnet) -> Iterator[Hit]:
    value = complete_value(seen.message, OptionCode.BROADCAST_ADDRESS)
    if value is None or len(value) != 4:
        return
    given = int.from_bytes(value)
    if given not in (subnet.broadcast, int(BROADCAST)):
        expected = IPv4Address(subnet.broadcast)
        text = f"broadcast address {IPv4Address(given)} (expected {expected})"
        yield hit(seen, text, option=OptionCode.BROADCAST_ADDRESS)


RULE = MessageRule(
    code="DHC132",
    name="subnet-inconsistent",
    severity=Severity.WARNING,
    summary="reply's address, routers or broadcast address outside its subnet",
    doc=__doc__ or "",
    check=check,
)
