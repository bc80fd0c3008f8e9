"""Plain JSON-ready dicts of an analysis: the one place that names the fields.

The json and jsonl writers dump these as they are and SARIF and JUnit build on
them; `analyze.schema.json` describes every field. Nothing here writes output.
Times are ISO 8601 UTC strings, durations seconds, transaction ids "0x%08x".
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from ipaddress import IPv4Address

from dhcpcheck.decode.ip import ipv4_address
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.pipeline import Analysis, Event
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.leases import Client, Lease, sent_hostname
from dhcpcheck.transactions.model import BROADCAST, Seen, Step, Transaction
from dhcpcheck.transactions.servers import Server, Spread, server_identifier

Record = dict[str, object]
VERSION = 1  # of the document and line shapes; raised when a field changes
_UNSET = IPv4Address(0)
_KNOWN_TYPES = frozenset(MessageType)
_SEVERITIES = sorted(Severity, reverse=True)  # error first


@dataclass(slots=True)
class Tally:
    """The counts a summary shows, for one capture or for several together."""

    frames: int = 0
    messages: int = 0
    first: float | None = None
    last: float | None = None
    kinds: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    clients: set[bytes] = field(default_factory=set)
    servers: set[IPv4Address] = field(default_factory=set)
    findings: Counter[Severity] = field(default_factory=Counter)

    @property
    def transactions(self) -> int:
        """How many transactions closed."""
        return self.kinds.total()


def tally(
    analyses: Sequence[Analysis], findings: Iterable[Finding] | None = None
) -> Tally:
    """Add up `analyses`; clients and servers seen in several count once.
    Without `findings`, those the analyses yielded are counted."""
    firsts = [analysis.first for analysis in analyses if analysis.first is not None]
    lasts = [analysis.last for analysis in analyses if analysis.last is not None]
    total = Tally(first=min(firsts, default=None), last=max(lasts, default=None))
    for analysis in analyses:
        total.frames += analysis.frames
        total.messages += analysis.messages
        total.kinds.update(analysis.kinds)
        total.outcomes.update(analysis.outcomes)
        total.clients.update(client.identity for client in analysis.clients)
        total.servers.update(server.identifier for server in analysis.servers)
        if findings is None:
            total.findings.update(analysis.severities)
    if findings is not None:
        total.findings.update(finding.severity for finding in findings)
    return total


def document(
    analyses: Sequence[Analysis],
    transactions: Iterable[Transaction],
    findings: Sequence[Finding],
) -> Record:
    """The whole `--format json` document; transactions in order of start."""
    return {
        "version": VERSION,
        "summary": summary_record(analyses, findings),
        "transactions": [
            transaction_record(txn)
            for txn in sorted(transactions, key=lambda txn: txn.start)
        ],
        "clients": [
            client_record(client, analysis.source)
            for analysis in analyses
            for client in analysis.clients
        ],
        "servers": [
            server_record(server, analysis.source)
            for analysis in analyses
            for server in analysis.servers
        ],
        "findings": [finding_record(finding) for finding in findings],
    }


def line_record(event: Event) -> Record:
    """One `--format jsonl` line for a transaction or a finding, as it comes."""
    if isinstance(event, Transaction):
        return {"type": "transaction", **transaction_record(event)}
    return {"type": "finding", **finding_record(event)}


def summary_line(
    analyses: Sequence[Analysis], findings: Sequence[Finding] | None = None
) -> Record:
    """The last `--format jsonl` line, written once every capture is read.
    Without `findings`, those the analyses yielded are counted."""
    return {"type": "summary", **summary_record(analyses, findings)}


def summary_record(
    analyses: Sequence[Analysis], findings: Sequence[Finding] | None = None
) -> Record:
    """Counts per capture (in the order read) and for all of them together.
    Without `findings`, those the analyses yielded are counted."""
    captures = []
    for analysis in analyses:
        own = None
        if findings is not None:
            own = [finding for finding in findings if finding.source == analysis.source]
        counts = _tally_record(tally([analysis], own))
        captures.append({"source": clean(analysis.source), **counts})
    return {"captures": captures, "total": _tally_record(tally(analyses, findings))}


def _tally_record(counts: Tally) -> Record:
    span = None
    if counts.first is not None and counts.last is not None:
        span = counts.last - counts.first
    return {
        "frames": counts.frames,
        "messages": counts.messages,
        "first": _optional_time(counts.first),
        "last": _optional_time(counts.last),
        "duration": span,
        "transactions": counts.transactions,
        "kinds": {str(kind): n for kind, n in sorted(counts.kinds.items())},
        "outcomes": {str(end): n for end, n in sorted(counts.outcomes.items())},
        "clients": len(counts.clients),
        "servers": len(counts.servers),
        "findings": {str(level): counts.findings[level] for level in _SEVERITIES},
    }


def transaction_record(txn: Transaction) -> Record:
    """One transaction with every message it grouped."""
    latency = txn.latency
    final = txn.settling_reply  # both server and address start from it
    return {
        "xid": hex_xid(txn.xid),
        "client": txn.client_mac,
        "kind": str(txn.kind),
        "outcome": str(txn.outcome),
        "server": _optional(_server(txn, final)),
        "address": _optional(_address(txn, final)),
        "hostname": transaction_hostname(txn),
        "start": iso_time(txn.start),
        "end": iso_time(txn.end),
        "latency": {
            "offer": latency.offer,
            "request": latency.request,
            "ack": latency.ack,
            "total": latency.total,
        },
        "source": clean(txn.steps[0].seen.source),
        "messages": [_message_record(step) for step in txn.steps],
    }


def _message_record(step: Step) -> Record:
    seen = step.seen
    return {
        "frame": seen.frame,
        "time": iso_time(seen.time),
        "type": message_type_name(seen.type),
        "source": f"{seen.ip_src}:{seen.sport}",
        "destination": f"{seen.ip_dst}:{seen.dport}",
        "mac": seen.mac_src,
        "retransmission": step.retransmission,
        "copy_of": step.copy_of,
        "secs": seen.message.secs,
    }


def client_record(client: Client, source: str) -> Record:
    """One client of one capture, with the leases it was granted there."""
    return {
        "mac": client.mac,
        "hostname": client_hostname(client),
        "source": clean(source),
        "transactions": len(client.transactions),
        "leases": [_lease_record(lease) for lease in client.leases],
    }


def _lease_record(lease: Lease) -> Record:
    return {
        "address": str(lease.address),
        "server": _optional(lease.server),
        "xid": hex_xid(lease.granted_by.xid),
        "start": iso_time(lease.start),
        "lease_time": lease.lease_time,
        "t1": lease.t1,
        "t2": lease.t2,
        "renew_at": _optional_time(lease.renew_at),
        "rebind_at": _optional_time(lease.rebind_at),
        "expiry": _optional_time(lease.expiry),
        "renewals": [_attempt_record(txn) for txn in lease.renewals],
        "rebinds": [_attempt_record(txn) for txn in lease.rebinds],
        "released": _optional_time(lease.released),
        "ended": _optional_time(lease.ended),
    }


def _attempt_record(txn: Transaction) -> Record:
    return {
        "xid": hex_xid(txn.xid),
        "time": iso_time(txn.start),
        "outcome": str(txn.outcome),
    }


def server_record(server: Server, source: str) -> Record:
    """One server of one capture, counted the way perfdhcp counts."""
    return {
        "identifier": str(server.identifier),
        "source": clean(source),
        "ips": [str(ip) for ip in sorted(server.ips)],
        "macs": sorted(server.macs),
        "counts": {
            kind.name.lower(): count for kind, count in sorted(server.counts.items())
        },
        "addresses": [str(address) for address in sorted(server.addresses)],
        "offer_latency": _spread_record(server.offer_latency.spread()),
        "ack_latency": _spread_record(server.ack_latency.spread()),
    }


def _spread_record(spread: Spread | None) -> Record | None:
    if spread is None:
        return None
    return {
        "count": spread.count,
        "min": spread.min,
        "median": spread.median,
        "p95": spread.p95,
        "max": spread.max,
    }


def finding_record(finding: Finding) -> Record:
    """One finding, every field of it."""
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": clean(finding.message),
        "source": clean(finding.source),
        "frames": list(finding.frames),
        "xid": None if finding.xid is None else hex_xid(finding.xid),
        "client": None if finding.client is None else clean(finding.client),
        "server": _optional(finding.server),
        "option": finding.option,
        "field": finding.field,
        "time": _optional_time(finding.time),
    }


def transaction_server(txn: Transaction) -> IPv4Address | None:
    """The server that gave the final answer, else the one the client named.

    The client names it in option 54 of a REQUEST, DECLINE or RELEASE, or by
    sending unicast to it (a RENEWING REQUEST). Failing all, the first server
    that replied at all; None if none did.
    """
    return _server(txn, txn.settling_reply)


def _server(txn: Transaction, final: Seen | None) -> IPv4Address | None:
    if final is not None:
        return server_identifier(final)
    asked = [step.seen for step in txn.steps if step.seen.from_client]
    for seen in asked:
        chosen = _option_address(seen, OptionCode.SERVER_ID)
        if chosen is not None:
            return chosen
    replies = [
        step.seen
        for step in txn.steps
        if step.copy_of is None and not step.seen.from_client
    ]
    if replies:
        return server_identifier(replies[0])
    unicast = [s.ip_dst for s in asked if s.ip_dst not in (_UNSET, BROADCAST)]
    return unicast[0] if unicast else None


def transaction_address(txn: Transaction) -> IPv4Address | None:
    """The address the exchange was about, from the surest source there is.

    In turn: yiaddr of the settling ACK, of the last OFFER, the client's ciaddr
    (renew, rebind, inform, release), its requested address (option 50).
    """
    return _address(txn, txn.settling_reply)


def _address(txn: Transaction, final: Seen | None) -> IPv4Address | None:
    if final is not None and final.message.yiaddr != _UNSET:
        return final.message.yiaddr
    offered = [seen.message.yiaddr for seen in txn.of_type(MessageType.OFFER)]
    if offered and offered[-1] != _UNSET:
        return offered[-1]
    asked = [step.seen for step in txn.steps if step.seen.from_client]
    for seen in asked:
        if seen.message.ciaddr != _UNSET:
            return seen.message.ciaddr
    for seen in asked:
        requested = _option_address(seen, OptionCode.REQUESTED_IP)
        if requested is not None:
            return requested
    return None


def transaction_hostname(txn: Transaction) -> str | None:
    """The host name (option 12) the client sent first in `txn`, as text."""
    data = sent_hostname(txn)
    return None if data is None else wire_text(data)


def client_hostname(client: Client) -> str | None:
    """The host name the client sent last, in any of its transactions."""
    return None if client.hostname is None else wire_text(client.hostname)


def _option_address(seen: Seen, code: OptionCode) -> IPv4Address | None:
    data = seen.message.value(code)
    return ipv4_address(data) if data is not None and len(data) == 4 else None


def message_type_name(value: int | None) -> str | None:
    """`discover` for 1; the number as text for a type no RFC names; None: BOOTP."""
    if value is None:
        return None
    if value in _KNOWN_TYPES:
        return MessageType(value).name.lower()
    return str(value)


def hex_xid(xid: int) -> str:
    """A transaction id as tcpdump and the --xid filter write it: 0x6265ab6d."""
    return f"0x{xid:08x}"


def iso_time(epoch: float) -> str:
    """Epoch seconds as ISO 8601 UTC, to the microsecond, ending in Z.

    A capture can claim any time stamp; one past what a datetime holds is
    shown as the first or last instant there is rather than failing.
    """
    try:
        moment = _EPOCH + timedelta(seconds=epoch)
    except OverflowError:
        moment = datetime.max if epoch > 0 else datetime.min
    return moment.isoformat(timespec="microseconds") + "Z"


_EPOCH = datetime(1970, 1, 1)


def wire_text(data: bytes) -> str:
    """Bytes off the wire as text: UTF-8, each invalid byte written as `\\xNN`."""
    return data.decode("utf-8", "backslashreplace")


def clean(text: str) -> str:
    """`text` safe to encode as UTF-8: each lone surrogate becomes `\\udcNN`.

    File names and bytes decoded with surrogateescape carry such surrogates;
    json.dumps(ensure_ascii=False) would pass them on to a failing write.
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _optional(address: IPv4Address | None) -> str | None:
    return None if address is None else str(address)


def _optional_time(epoch: float | None) -> str | None:
    return None if epoch is None else iso_time(epoch)
