"""The terminal report of `dhcpcheck analyze`: summary, transactions, servers,
lease timelines and findings, fitted to the console's width.

Every string goes to rich as `Text`, escaped by `printable`, so nothing off the
wire is read as markup or reaches the terminal as a control character. The
JSON forms are `records`' business; this module only lays text out.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Generic, TypeVar

from rich import box
from rich.console import Console, JustifyMethod, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from dhcpcheck.decode.options import MessageType
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.diagnostics import printable
from dhcpcheck.report.records import (
    Tally,
    client_hostname,
    hex_xid,
    tally,
    transaction_address,
    transaction_server,
)
from dhcpcheck.report.tcpdump.timestamps import local_time
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.leases import INFINITE, Client, Lease
from dhcpcheck.transactions.model import Transaction
from dhcpcheck.transactions.servers import Server, Spread

DEFAULT_LIMIT = 50  # transactions and clients listed before "... N more"
_SEVERITY_STYLES = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}
_INDENT = 2
_TIME_WIDTH = len("14:31:53.831654")
_FRAMES_LISTED = 8  # a finding's frame numbers shown before "and N more"
_ROOM = 10_000  # wider than any table, so that measuring does not fold it

Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class _Column(Generic[Row]):
    """A table column: its header, how to fill a cell, when to give it up.

    Columns with the lowest `drop` go first when the table is too wide for
    the console; a column whose `drop` is 0 always stays.
    """

    header: str
    cell: Callable[[Row], Text]
    drop: int = 0
    justify: JustifyMethod = "left"


def write_report(
    console: Console,
    analyses: Sequence[Analysis],
    transactions: Sequence[Transaction],
    findings: Sequence[Finding],
    *,
    limit: int | None = DEFAULT_LIMIT,
    latest: bool = False,
) -> None:
    """Write the whole report; list at most `limit` transactions and clients.

    `limit` None lists them all. With `latest`, `findings` are only the latest
    of those the analyses yielded (a long `watch` keeps no more): the counts
    come from the analyses, and the list says how many it leaves out.
    """
    counted = None if latest else findings
    _write_summary(console, analyses, counted)
    _write_transactions(console, transactions, limit)
    _write_servers(console, analyses)
    _write_leases(console, analyses, limit)
    levels = tally(analyses, counted).findings
    _write_findings(console, findings, levels, several=len(analyses) > 1)


def _write_summary(
    console: Console, analyses: Sequence[Analysis], findings: Sequence[Finding] | None
) -> None:
    """Counts of `findings`, or without them of those the analyses yielded."""
    console.print(Text("Summary", style="bold"))
    for analysis in analyses:
        own = None
        if findings is not None:
            own = [finding for finding in findings if finding.source == analysis.source]
        _indented(console, _text(analysis.source), 1)
        _indented(console, _tally_grid(tally([analysis], own)), 2)
    if len(analyses) > 1:
        _indented(console, Text(f"all {len(analyses)} captures"), 1)
        _indented(console, _tally_grid(tally(analyses, findings)), 2)


def _tally_grid(counts: Tally) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    span = "-"
    if counts.first is not None and counts.last is not None:
        span = _span(counts.first, counts.last)
    rows = (
        ("frames", f"{counts.frames} ({counts.messages} DHCP messages)"),
        ("time", span),
        ("transactions", _counted(counts.transactions, _breakdown(counts.kinds))),
        ("outcomes", _breakdown(counts.outcomes) or "-"),
        ("clients", str(len(counts.clients))),
        ("servers", str(len(counts.servers))),
        ("findings", _counted(counts.findings.total(), _severities(counts.findings))),
    )
    for label, value in rows:
        grid.add_row(Text(label), Text(value))
    return grid


def _span(first: float, last: float) -> str:
    """`2021-06-08 14:31:53.831654 to 14:31:53.872377 (0.041 s)`, local time."""
    start, end = _local(first, with_date=True), _local(last, with_date=True)
    if start[:10] == end[:10]:
        end = _local(last)  # the same day: the date once
    seconds = last - first
    length = f"{seconds:.3f} s" if seconds < 60 else _duration(seconds)
    return f"{start} to {end} ({length})"


def _counted(total: int, parts: str) -> str:
    """`3 (dora 2, renew 1)`, or `0`."""
    return f"{total} ({parts})" if total else "0"


def _breakdown(parts: Counter[str]) -> str:
    """`bound 2, nak 1`: most first, then by name; zeros left out."""
    ordered = sorted(parts.items(), key=lambda item: (-item[1], str(item[0])))
    return ", ".join(f"{name} {count}" for name, count in ordered if count)


def _severities(levels: Counter[Severity]) -> str:
    """`error 2, info 1`: the worst first, zeros left out."""
    ordered = sorted(levels.items(), reverse=True)
    return ", ".join(f"{level} {count}" for level, count in ordered if count)


def _write_transactions(
    console: Console, transactions: Sequence[Transaction], limit: int | None
) -> None:
    if not transactions:
        _heading(console, "Transactions: none")
        return
    ordered = sorted(transactions, key=lambda txn: txn.start)
    shown = ordered if limit is None else ordered[:limit]
    table = _fitted(console, _TRANSACTION_COLUMNS, shown)
    timed = any(column.header in _LATENCIES for column in table.columns)
    _heading(console, "Transactions (latency in ms)" if timed else "Transactions")
    console.print(table)
    if len(shown) < len(ordered):
        more = len(ordered) - len(shown)
        console.print(Text(f"... {more} more; --format json lists every transaction"))


def _latency(value: float | None) -> Text:
    return Text("-" if value is None else f"{value * 1000:.3f}")


def _address_cell(found: IPv4Address | None) -> Text:
    return Text("-" if found is None else str(found))


_TRANSACTION_COLUMNS: tuple[_Column[Transaction], ...] = (
    _Column("time", lambda txn: Text(_local(txn.start))),
    _Column("client", lambda txn: Text(txn.client_mac)),
    _Column("xid", lambda txn: Text(hex_xid(txn.xid))),
    _Column("kind", lambda txn: Text(str(txn.kind))),
    _Column("outcome", lambda txn: Text(str(txn.outcome))),
    _Column("address", lambda txn: _address_cell(transaction_address(txn)), drop=6),
    _Column("server", lambda txn: _address_cell(transaction_server(txn)), drop=4),
    _Column("offer", lambda txn: _latency(txn.latency.offer), drop=2, justify="right"),
    _Column(
        "request", lambda txn: _latency(txn.latency.request), drop=1, justify="right"
    ),
    _Column("ack", lambda txn: _latency(txn.latency.ack), drop=3, justify="right"),
    _Column("total", lambda txn: _latency(txn.latency.total), drop=5, justify="right"),
)
_LATENCIES = frozenset({"offer", "request", "ack", "total"})


def _write_servers(console: Console, analyses: Sequence[Analysis]) -> None:
    for analysis in analyses:
        servers = list(analysis.servers)
        title = "Servers" + _where(analysis, several=len(analyses) > 1)
        if not servers:
            _heading(console, title + ": none")
            continue
        _heading(console, title)
        console.print(_fitted(console, _SERVER_COLUMNS, servers))
        _write_latency(console, servers)


def _write_latency(console: Console, servers: Sequence[Server]) -> None:
    """Each server's response times, the way perfdhcp lists them."""
    rows = [
        (server, exchange, spread)
        for server in servers
        for exchange, spread in (
            ("DISCOVER-OFFER", server.offer_latency.spread()),
            ("REQUEST-ACK/NAK", server.ack_latency.spread()),
        )
        if spread is not None
    ]
    if rows:
        _heading(console, "Server latency in ms")
        console.print(_fitted(console, _LATENCY_COLUMNS, rows))


def _seen_as(server: Server) -> Text:
    lines = [str(ip) for ip in sorted(server.ips)] + sorted(server.macs)
    return Text("\n").join(_text(line) for line in lines)


def _count(kind: MessageType) -> Callable[[Server], Text]:
    return lambda server: Text(str(server.count(kind)))


_SERVER_COLUMNS: tuple[_Column[Server], ...] = (
    _Column("server", lambda server: Text(str(server.identifier))),
    _Column("seen as", _seen_as, drop=1),
    _Column("offers", _count(MessageType.OFFER), justify="right"),
    _Column("acks", _count(MessageType.ACK), justify="right"),
    _Column("naks", _count(MessageType.NAK), justify="right"),
    _Column(
        "addresses", lambda server: Text(str(len(server.addresses))), justify="right"
    ),
)

_LatencyRow = tuple[Server, str, Spread]


def _ms(pick: Callable[[Spread], float]) -> Callable[[_LatencyRow], Text]:
    return lambda row: Text(f"{pick(row[2]) * 1000:.3f}")


_LATENCY_COLUMNS: tuple[_Column[_LatencyRow], ...] = (
    _Column("server", lambda row: Text(str(row[0].identifier))),
    _Column("exchange", lambda row: Text(row[1])),
    _Column("n", lambda row: Text(str(row[2].count)), justify="right"),
    _Column("min", _ms(lambda spread: spread.min), justify="right"),
    _Column("median", _ms(lambda spread: spread.median), justify="right"),
    _Column("p95", _ms(lambda spread: spread.p95), justify="right"),
    _Column("max", _ms(lambda spread: spread.max), justify="right"),
)


def _write_leases(
    console: Console, analyses: Sequence[Analysis], limit: int | None
) -> None:
    for analysis in analyses:
        clients = list(analysis.clients)
        title = "Leases" + _where(analysis, several=len(analyses) > 1)
        if not clients:
            _heading(console, title + ": no clients")
            continue
        _heading(console, title)
        shown = clients if limit is None else clients[:limit]
        end = analysis.last if analysis.last is not None else 0.0
        for client in shown:
            _write_client(console, client, end, whole=not analysis.streaming)
        if len(shown) < len(clients):
            more = len(clients) - len(shown)
            console.print(Text(f"... {more} more; --format json lists every client"))


def _write_client(console: Console, client: Client, end: float, whole: bool) -> None:
    """A client's leases; a streaming history (not `whole`) keeps only those
    not yet forgotten, and no count of transactions."""
    heading = Text(client.mac, style="bold")
    hostname = client_hostname(client)
    if hostname is not None:
        heading.append(" " + printable(hostname))
    _indented(console, heading, 0)
    if not client.leases:
        count = _plural(len(client.transactions), "transaction")
        _indented(console, Text(f"no lease ({count})" if whole else "no lease"), 1)
    for lease in client.leases:
        server = "-" if lease.server is None else str(lease.server)
        xid = hex_xid(lease.granted_by.xid)
        _indented(console, Text(f"{lease.address} from {server} (xid {xid})"), 1)
        granted = f"granted: {_terms(lease)}"
        _indented(console, _timeline_line(_local(lease.start), granted), 2)
        for offset, event in _events(lease, end):
            _indented(console, _timeline_line(_offset(offset), event), 2)


def _terms(lease: Lease) -> str:
    """`lease 86400 s, T1 43200 s, T2 75600 s`: what the ACK sent."""
    if lease.lease_time is None:
        parts = ["no lease time"]
    elif lease.lease_time == INFINITE:
        parts = ["lease infinite"]
    else:
        parts = [f"lease {lease.lease_time} s"]
    for name, sent in (("T1", lease.t1), ("T2", lease.t2)):
        if sent is not None:
            parts.append(f"{name} {sent} s")
    return ", ".join(parts)


def _events(lease: Lease, end: float) -> list[tuple[float, str]]:
    """What became of a lease, in seconds after its start."""
    events = [
        (txn.start - lease.start, f"{txn.kind} {hex_xid(txn.xid)}: {txn.outcome}")
        for txn in lease.renewals + lease.rebinds
    ]
    if lease.released is not None:
        events.append((lease.released - lease.start, "released"))
    elif lease.ended is not None:
        events.append((lease.ended - lease.start, "replaced by a new lease"))
    expiry = lease.expiry
    if expiry is not None and (lease.ended is None or lease.ended > expiry):
        ran_out = "expired" if expiry <= end else "expires after the capture"
        events.append((expiry - lease.start, ran_out))
    return sorted(events, key=lambda event: event[0])


def _timeline_line(when: str, what: str) -> Text:
    return Text(f"{when:<{_TIME_WIDTH}}  {printable(what)}")


def _write_findings(
    console: Console,
    findings: Sequence[Finding],
    levels: Counter[Severity],
    several: bool,
) -> None:
    """`findings` by severity; `levels` counts them, or more (`latest`)."""
    if not findings:
        _heading(console, "Findings: none")
        return
    _heading(console, "Findings")
    for level in sorted(Severity, reverse=True):
        found = [finding for finding in findings if finding.severity is level]
        if not found:
            continue
        style = _SEVERITY_STYLES[level]
        _indented(console, Text(f"{level} ({levels[level]})", style=style), 0)
        for finding in found:
            said = printable(f" {finding.name}: {finding.message}")
            headline = Text.assemble((finding.code, style), said)
            _indented(console, headline, 1)
            room = console.width - 2 * _INDENT
            for line in _joined(_where_found(finding, several), room):
                _indented(console, _text(line), 2)
        left = levels[level] - len(found)
        if left > 0:
            _indented(console, Text(f"... {left} earlier, not kept"), 1)


def _where_found(finding: Finding, several: bool) -> list[str]:
    """`frames 1, 3`, `xid 0x6265ab6d`, `client ...`: what is known of it."""
    parts = []
    if several:
        parts.append(f"in {finding.source}")
    if finding.frames:
        listed = ", ".join(str(n) for n in finding.frames[:_FRAMES_LISTED])
        more = len(finding.frames) - _FRAMES_LISTED
        noun = "frame" if len(finding.frames) == 1 else "frames"
        parts.append(f"{noun} {listed}" + (f" and {more} more" if more > 0 else ""))
    if finding.xid is not None:
        parts.append(f"xid {hex_xid(finding.xid)}")
    named = (
        ("client", finding.client),
        ("server", finding.server),
        ("option", finding.option),
        ("field", finding.field),
    )
    parts.extend(f"{name} {value}" for name, value in named if value is not None)
    return parts


def _joined(parts: Sequence[str], width: int) -> list[str]:
    """`parts` two spaces apart, starting a new line where one would not fit."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += "  " + part
        else:
            lines.append(part)
    return lines


def _fitted(
    console: Console, columns: Sequence[_Column[Row]], rows: Sequence[Row]
) -> Table:
    """A table of `rows`, giving up columns in `drop` order until it fits.

    If it still does not fit, rich folds the widest cells.
    """
    cells = [[column.cell(row) for column in columns] for row in rows]
    shown = list(range(len(columns)))
    while True:
        table = Table(
            box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0)
        )
        for index in shown:
            column = columns[index]
            table.add_column(column.header, justify=column.justify, overflow="fold")
        for line in cells:
            table.add_row(*(line[index] for index in shown))
        droppable = [index for index in shown if columns[index].drop]
        if not droppable or _width(console, table) <= console.width:
            return table
        shown.remove(min(droppable, key=lambda index: columns[index].drop))


def _width(console: Console, table: Table) -> int:
    """The width `table` takes unfolded: rich measures it within room to spare."""
    room = console.options.update_width(_ROOM)
    return Measurement.get(console, room, table).maximum


def _heading(console: Console, title: str) -> None:
    console.print()
    console.print(_text(title), style="bold")


def _indented(console: Console, renderable: RenderableType, level: int) -> None:
    console.print(Padding(renderable, (0, 0, 0, _INDENT * level), expand=False))


def _where(analysis: Analysis, several: bool) -> str:
    return f" in {analysis.source}" if several else ""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _text(text: str) -> Text:
    """Text for the terminal, control characters shown as escapes."""
    return Text(printable(text))


def _local(epoch: float, with_date: bool = False) -> str:
    """Local time as tcpdump prints it: `14:31:53.831654`, or with the date."""
    return local_time(epoch, with_date)


def _offset(seconds: float) -> str:
    """A time after a lease's start: `+12:00:00.512`."""
    return ("-" if seconds < 0 else "+") + _duration(abs(seconds))


def _duration(seconds: float) -> str:
    """`26:00:03.512`: hours, minutes, seconds and milliseconds."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
