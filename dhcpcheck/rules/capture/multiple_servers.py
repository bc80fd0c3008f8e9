"""multiple-servers: more DHCP servers answer on one segment than expected.

Counts, for each segment, the servers (option 54, or the reply's source
address without one) whose OFFERs, ACKs or NAKs were seen, and reports a
segment with more than `servers` of them, listing each with its replies. A
segment is the relay address ('giaddr') the replies go through, or the
capture's own link when there is none. RFC 2131 section 7
(https://www.rfc-editor.org/rfc/rfc2131#section-7):

    Unauthorized DHCP servers may be easily set up.  Such servers can
    then send false and potentially disruptive information to clients
    such as incorrect or duplicate IP addresses, incorrect routing
    information (including spoof routers, etc.), incorrect domain
    nameserver addresses (such as spoof nameservers), and so on.

Several servers are legal, and redundant pairs are common, so the finding is
a warning only when two servers answered the same exchange, competing for one
client: what a stray server (or two pools for one subnet) does, not a
failover pair, which splits clients between its servers. Otherwise it is
information. To name the servers you trust, use untrusted-server.

Failing exchange:

    DISCOVER; OFFER 192.0.2.107 from 192.0.2.1; OFFER 192.0.2.200 from
    192.0.2.2; REQUEST server-id 192.0.2.1; ACK from 192.0.2.1
    -> 2 servers competing on the local segment (192.0.2.1: 2 replies,
       192.0.2.2: 1 reply; expected 1)

Settings: `servers` (1), how many servers a segment may have. Frames: the
first reply of each further server, then that of the first. State: a count
per segment and server.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address

from dhcpcheck.rules.base import (
    CaptureRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.capture.replies import plural, replies, segment
from dhcpcheck.transactions.leases import Client
from dhcpcheck.transactions.model import Transaction
from dhcpcheck.transactions.servers import server_identifier


@dataclass(slots=True)
class Answers:
    """What one server sent on one segment."""

    first_frame: int
    count: int = 0


class MultipleServers:
    """Servers by segment, and the segments where two answered one exchange."""

    def __init__(self, settings: Settings) -> None:
        self.allowed = settings.integer("servers")
        self._segments: dict[IPv4Address, dict[IPv4Address, Answers]] = {}
        self._competing: set[IPv4Address] = set()

    def add(self, txn: Transaction) -> None:
        """Count the replies of `txn` by segment and server."""
        answering: dict[IPv4Address, set[IPv4Address]] = {}
        for _, seen in replies(txn):
            giaddr, server = seen.message.giaddr, server_identifier(seen)
            servers = self._segments.setdefault(giaddr, {})
            answers = servers.get(server)
            if answers is None:
                answers = servers[server] = Answers(seen.frame)
            answers.count += 1
            answering.setdefault(giaddr, set()).add(server)
        self._competing.update(g for g, found in answering.items() if len(found) > 1)

    def finish(self, clients: Iterable[Client], end: float) -> Iterator[Hit]:
        """One hit per segment with too many servers."""
        for giaddr, servers in self._segments.items():
            if len(servers) <= self.allowed:
                continue
            ordered = sorted(servers.items(), key=lambda item: item[1].first_frame)
            listed = ", ".join(
                f"{server}: {plural(answers.count, 'reply')}"
                for server, answers in ordered
            )
            competing = giaddr in self._competing
            what = "competing" if competing else "answering"
            frames = [answers.first_frame for _, answers in ordered]
            yield Hit(
                f"{len(servers)} servers {what} on {segment(giaddr)} "
                f"({listed}; expected {self.allowed})",
                frames=(*frames[1:], frames[0]),
                server=ordered[1][0],
                severity=None if competing else Severity.INFO,
            )


RULE = CaptureRule(
    code="DHC401",
    name="multiple-servers",
    severity=Severity.WARNING,
    summary="more DHCP servers answer on one segment than expected",
    doc=__doc__ or "",
    start=MultipleServers,
    settings={
        "servers": Setting(
            SettingKind.INTEGER, 1, "how many servers one segment may have"
        ),
    },
)
