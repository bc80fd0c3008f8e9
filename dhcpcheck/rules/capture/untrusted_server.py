"""untrusted-server: a DHCP server that is not on the configured trusted list.

Checks every OFFER, ACK and NAK against `trusted`, a list of IPv4 addresses
and MAC addresses. With addresses in the list, the server identifier (option
54, or the reply's source address without one) must be one of them; with
MACs in the list, a reply sent on the server's own link ('giaddr' 0) must
come from one of them. Replies through a relay are not held to a MAC: their
source is the relay's, or a router's. An empty list (the default) turns the
rule off. RFC 2131 section 7
(https://www.rfc-editor.org/rfc/rfc2131#section-7):

    Unauthorized DHCP servers may be easily set up.  Such servers can
    then send false and potentially disruptive information to clients

A home router plugged in backwards, a test VM with dnsmasq on a bridged
interface, or an attacker: clients take whichever OFFER comes first.
Checking both lists also catches a stray server that claims a trusted
server's identifier.

Failing exchange, with trusted = ["192.0.2.1", "00:00:5e:00:53:01"]:

    DISCOVER; OFFER from 192.0.2.2 (00:00:5e:00:53:02); ...
    -> untrusted server 192.0.2.2 at 00:00:5e:00:53:02 (1 OFFER)

Settings: `trusted` ([]), addresses and MACs ("00:00:5e:00:53:01" or with
dashes). One finding per server identifier and MAC; its frame is the first
reply. State: a count per untrusted server.
"""

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from ipaddress import AddressValueError, IPv4Address

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import (
    CaptureRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.capture.replies import LOCAL, plural, replies
from dhcpcheck.transactions.leases import Client
from dhcpcheck.transactions.model import Seen, Transaction
from dhcpcheck.transactions.servers import server_identifier

_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")


@dataclass(slots=True)
class Sent:
    """What one untrusted server sent."""

    first: Seen
    counts: Counter[MessageType] = field(default_factory=Counter)


class UntrustedServers:
    """The trusted lists, and what each server outside them sent."""

    def __init__(self, settings: Settings) -> None:
        self._addresses: set[IPv4Address] = set()
        self._macs: set[str] = set()
        for entry in settings.strings("trusted"):
            _trust(entry, self._addresses, self._macs)
        self._untrusted: dict[tuple[IPv4Address, str | None], Sent] = {}

    def add(self, txn: Transaction) -> None:
        """Note the replies of `txn` from servers outside the lists."""
        if not self._addresses and not self._macs:
            return
        for kind, seen in replies(txn):
            server = server_identifier(seen)
            mac = seen.mac_src if seen.message.giaddr == LOCAL else None
            bad_address = bool(self._addresses) and server not in self._addresses
            bad_mac = bool(self._macs) and mac is not None and mac not in self._macs
            if bad_address or bad_mac:
                sent = self._untrusted.setdefault((server, mac), Sent(seen))
                sent.counts[kind] += 1

    def finish(self, clients: Iterable[Client], end: float) -> Iterator[Hit]:
        """One hit per untrusted server (and MAC)."""
        for (server, mac), sent in self._untrusted.items():
            at = "" if mac is None else f" at {mac}"
            counts = ", ".join(
                plural(count, kind.name) for kind, count in sorted(sent.counts.items())
            )
            yield Hit(
                f"untrusted server {server}{at} ({counts})",
                frames=(sent.first.frame,),
                xid=sent.first.message.xid,
                server=server,
            )


def _trust(entry: str, addresses: set[IPv4Address], macs: set[str]) -> None:
    """Add one `trusted` entry to the list it belongs in; ValueError if none."""
    mac = entry.strip().lower().replace("-", ":")
    if _MAC.fullmatch(mac):
        macs.add(mac)
        return
    try:
        addresses.add(IPv4Address(entry.strip()))
    except AddressValueError:
        raise ValueError(
            f"rules.untrusted-server.trusted: {entry!r} is neither an IPv4 "
            "address nor a MAC address"
        ) from None


RULE = CaptureRule(
    code="DHC402",
    name="untrusted-server",
    severity=Severity.ERROR,
    summary="a DHCP server outside the configured trusted addresses and MACs",
    doc=__doc__ or "",
    start=UntrustedServers,
    settings={
        "trusted": Setting(
            SettingKind.STRINGS, [], "trusted server addresses and MACs"
        ),
    },
)
