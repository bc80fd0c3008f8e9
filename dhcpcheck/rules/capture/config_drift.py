"""server-config-drift: one server gives clients of one subnet different
parameters.

For each server (option 54, or the reply's source address) and subnet (the
offered address under the reply's subnet mask, option 1), collects the values
of `options` in its OFFERs and ACKs, and reports every option that took more
than one value. Subnets of one server that overlap are taken together, so a
mask that differs is caught too. RFC 2131 section 4.3.1
(https://www.rfc-editor.org/rfc/rfc2131#section-4.3.1):

    It is important for all DHCP servers to return the same
    parameters (with the possible exception of a newly allocated network
    address) to ensure predictable client behavior regardless of which
    server the client selects.

If that holds across servers, it holds within one: a second pool or class
with a stale router, a DNS change made on one scope only, an MTU that
depends on the client. Only values sent count: servers send what each client
asks for, so an option missing from some replies is not drift. Replies
without a usable mask cannot be placed in a subnet and are not counted.

Failing exchange:

    ACK 192.0.2.107 mask 255.255.255.0 router 192.0.2.254 (40 clients)
    ACK 192.0.2.150 mask 255.255.255.0 router 192.0.2.253
    -> 192.0.2.1 sends 2 values of option 3 (Router) in 192.0.2.0/24
       (192.0.2.254 in 40 replies, 192.0.2.253 in 1 reply)

Settings: `options` (subnet-mask, router, domain-name-server,
interface-mtu), by code or name. One finding per server, subnet and option;
frames: the first reply with each value, the rarest first. State: a count per
server, subnet, option and value.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import (
    CaptureRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.capture.optionvalues import label, option_code, render
from dhcpcheck.rules.capture.replies import plural, replies
from dhcpcheck.transactions.leases import Client
from dhcpcheck.transactions.model import UNSET, Seen, Transaction
from dhcpcheck.transactions.servers import server_identifier

_SHOWN = 4  # values listed in a finding; the rest are counted
_CARRYING = frozenset({MessageType.OFFER, MessageType.ACK})


@dataclass(slots=True)
class Value:
    """How often one value of one option was sent, and where first."""

    first_frame: int
    count: int = 0


Values = dict[int, dict[bytes, Value]]  # by option code, then by value


class ConfigDrift:
    """Option values by server and subnet."""

    def __init__(self, settings: Settings) -> None:
        self.codes = [option_code(name) for name in settings.strings("options")]
        self._seen: dict[tuple[IPv4Address, IPv4Network], Values] = {}

    def add(self, txn: Transaction) -> None:
        """Count the option values of the OFFERs and ACKs of `txn`."""
        for kind, seen in replies(txn):
            subnet = _subnet(seen) if kind in _CARRYING else None
            if subnet is None:
                continue
            values = self._seen.setdefault((server_identifier(seen), subnet), {})
            for code in self.codes:
                data = seen.message.value(code)
                if data is not None:
                    sent = values.setdefault(code, {})
                    value = sent.get(data)
                    if value is None:
                        value = sent[data] = Value(seen.frame)
                    value.count += 1

    def finish(self, clients: Iterable[Client], end: float) -> Iterator[Hit]:
        """One hit per server, subnet and option with more than one value."""
        for (server, subnet), values in _merged(self._seen):
            for code in self.codes:
                sent = values.get(code, {})
                if len(sent) > 1:
                    yield _hit(server, subnet, code, sent)


def _subnet(seen: Seen) -> IPv4Network | None:
    """The subnet of the address a reply offers, under the mask it sends."""
    yiaddr, mask = seen.message.yiaddr, seen.message.value(OptionCode.SUBNET_MASK)
    if yiaddr == UNSET or mask is None or len(mask) != 4:
        return None
    return _network(int(yiaddr) & int.from_bytes(mask), mask)


@lru_cache(maxsize=1024)
def _network(address: int, mask: bytes) -> IPv4Network | None:
    """The network of `address` under `mask`, None if the mask is not a
    prefix; made once for all the clients of a subnet."""
    try:
        return IPv4Network((address, str(IPv4Address(mask))))
    except ValueError:
        return None


def _merged(
    seen: dict[tuple[IPv4Address, IPv4Network], Values],
) -> Iterator[tuple[tuple[IPv4Address, IPv4Network], Values]]:
    """Each server's overlapping subnets as one, named by the widest.

    Sorted by address and then by prefix length, a subnet that holds others
    comes before them, so each group starts with its widest subnet.
    """
    group: tuple[IPv4Address, IPv4Network] | None = None
    merged: Values = {}
    for key in sorted(seen, key=lambda k: (k[0], k[1].network_address, k[1].prefixlen)):
        server, subnet = key
        if group is None or server != group[0] or not subnet.subnet_of(group[1]):
            if group is not None:
                yield group, merged
            group, merged = key, {}
        for code, sent in seen[key].items():
            into = merged.setdefault(code, {})
            for data, value in sent.items():
                total = into.setdefault(data, Value(value.first_frame))
                total.count += value.count
                total.first_frame = min(total.first_frame, value.first_frame)
    if group is not None:
        yield group, merged


def _hit(
    server: IPv4Address, subnet: IPv4Network, code: int, sent: dict[bytes, Value]
) -> Hit:
    ordered = sorted(
        sent.items(), key=lambda item: (-item[1].count, item[1].first_frame)
    )
    listed = [
        f"{render(code, data)} in {plural(value.count, 'reply')}"
        for data, value in ordered[:_SHOWN]
    ]
    if len(ordered) > _SHOWN:
        listed.append(f"{len(ordered) - _SHOWN} more")
    return Hit(
        f"{server} sends {len(sent)} values of {label(code)} in {subnet} "
        f"({', '.join(listed)})",
        frames=tuple(value.first_frame for _, value in reversed(ordered)),
        server=server,
        option=code,
    )


RULE = CaptureRule(
    code="DHC404",
    name="server-config-drift",
    severity=Severity.WARNING,
    summary="one server sends one subnet different mask, router, DNS or MTU",
    doc=__doc__ or "",
    start=ConfigDrift,
    settings={
        "options": Setting(
            SettingKind.STRINGS,
            ["subnet-mask", "router", "domain-name-server", "interface-mtu"],
            "options compared, by code or name",
        ),
    },
)
