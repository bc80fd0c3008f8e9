"""expected-option-values: servers send the option values you configured.

Compares options of every OFFER and ACK with a table of expected values, for
example `values = { mtu = 1450, router = "192.0.2.254", 6 = ["192.0.2.53",
"192.0.2.54"] }`, and reports each value that differs. Options are named by
code or name (see below); addresses are written as text, integers as numbers,
text as strings. The table is empty by default, which turns the rule off.

This is a site policy rather than an RFC rule; RFC 2131 section 4.3.1
(https://www.rfc-editor.org/rfc/rfc2131#section-4.3.1) leaves the values to
the administrator:

    The network administrator is responsible for configuring multiple
    DHCP servers to ensure uniform responses from those servers.

Use it to pin what you know: the MTU of a tunnel overlay, the resolvers
after a migration, the router of a VLAN. Only options that are sent are
compared, since servers send what each client asks for.

It is a capture rule, not a message rule, so that a server sending the wrong
MTU to ten thousand clients is one finding with a count rather than ten
thousand findings.

Failing exchange, with values = { mtu = 1450 }:

    ACK 192.0.2.107 from 192.0.2.1, MTU 1500 (40 such replies)
    -> option 26 (MTU Interface) is 1500 in 40 replies (expected 1450)

Names: a decimal code, a name of `OptionCode` in lowercase with dashes
("interface-mtu", "domain-name-server") or tcpdump's name ("mtu",
"default-gateway"). Settings: `values` ({}). One finding per server, option
and wrong value; its frame is the first reply with it. State: a count per
server, option and wrong value.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address

from dhcpcheck.decode.options import MessageType
from dhcpcheck.rules.base import (
    CaptureRule,
    Hit,
    Setting,
    SettingKind,
    Settings,
    Severity,
)
from dhcpcheck.rules.capture.optionvalues import encode, label, option_code, render
from dhcpcheck.rules.capture.replies import plural, replies
from dhcpcheck.transactions.leases import Client
from dhcpcheck.transactions.model import Seen, Transaction
from dhcpcheck.transactions.servers import server_identifier

_CARRYING = frozenset({MessageType.OFFER, MessageType.ACK})


@dataclass(slots=True)
class Wrong:
    """One unexpected value from one server: where first, how often."""

    first: Seen
    count: int = 0


class ExpectedValues:
    """The expected bytes of each configured option, and what differed."""

    def __init__(self, settings: Settings) -> None:
        self.expected: dict[int, bytes] = {}
        for name, value in settings.values("values").items():
            try:
                code = option_code(name)
                self.expected[code] = encode(code, value)
            except ValueError as error:
                raise ValueError(
                    f"rules.expected-option-values.values.{name}: {error}"
                ) from None
        self._wrong: dict[tuple[IPv4Address, int, bytes], Wrong] = {}

    def add(self, txn: Transaction) -> None:
        """Compare the OFFERs and ACKs of `txn` with the table."""
        for kind, seen in replies(txn):
            if kind not in _CARRYING:
                continue
            for code, expected in self.expected.items():
                data = seen.message.value(code)
                if data is not None and data != expected:
                    key = (server_identifier(seen), code, data)
                    self._wrong.setdefault(key, Wrong(seen)).count += 1

    def finish(self, clients: Iterable[Client], end: float) -> Iterator[Hit]:
        """One hit per server, option and wrong value."""
        for (server, code, data), wrong in self._wrong.items():
            yield Hit(
                f"{label(code)} is {render(code, data)} in "
                f"{plural(wrong.count, 'reply')} "
                f"(expected {render(code, self.expected[code])})",
                frames=(wrong.first.frame,),
                xid=wrong.first.message.xid,
                server=server,
                option=code,
            )


RULE = CaptureRule(
    code="DHC406",
    name="expected-option-values",
    severity=Severity.WARNING,
    summary="OFFERs and ACKs carry the option values configured as expected",
    doc=__doc__ or "",
    start=ExpectedValues,
    settings={
        "values": Setting(
            SettingKind.VALUES, {}, "option name or code = expected value"
        ),
    },
)
