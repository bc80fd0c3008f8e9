"""The report of `dhcpcheck trace`: the points in order with their clocks, one
row per message with a column per point, and the lost messages; or all of it
as one JSON document.

Point names come from the command line and file names and are escaped like
text off the wire. Nothing is decided here: `dhcpcheck.trace` did that.
"""

from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from dhcpcheck.capture.linktype import LinkType, link_type
from dhcpcheck.report.diagnostics import printable
from dhcpcheck.report.records import (
    Record,
    clean,
    finding_record,
    hex_xid,
    iso_time,
    message_type_name,
)
from dhcpcheck.report.tcpdump.timestamps import local_time
from dhcpcheck.trace import lost
from dhcpcheck.trace.model import (
    Basis,
    Clock,
    Direction,
    Interval,
    Link,
    MessagePath,
    Point,
    Trace,
    TracedTransaction,
    Visit,
)
from dhcpcheck.trace.path import sent

VERSION = 1  # of the JSON document; raised when a field changes
_INDENT = 2
_ARROWS = {Direction.TO_SERVER: "→", Direction.TO_CLIENT: "←"}
_SEEN, _LOST, _MISSED, _ABSENT = "✓", "✗", "?", "·"
_FIXED_COLUMNS = (
    ("time", len("14:31:53.831654")),
    ("xid", len("0x6265ab6d")),
    ("message", len("DISCOVER →")),
)
_BASES = {
    Basis.GIVEN: "as given",
    Basis.EVIDENCE: "from the evidence",
    Basis.CLOCKS: "from the clocks",
    Basis.ASSUMED: "assuming the clocks agree",
    Basis.UNKNOWN: "as given: nothing orders them",
}


def write_trace(console: Console, trace: Trace) -> None:
    """Write the points, the order, every message's way and the losses."""
    _write_points(console, trace)
    _write_order(console, trace)
    _write_messages(console, trace)
    _write_lost(console, trace)


def _write_points(console: Console, trace: Trace) -> None:
    """One line per point: name, link types, messages, clock, then the file,
    on a line of its own where the console is too narrow for it."""
    reference = printable(trace.reference)
    console.print(Text(f"Points, client side first (clocks against {reference})"))
    by_name = {point.name: point for point in trace.points}
    rows = [_point_cells(by_name[name], trace) for name in trace.order.points]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    room = console.width - _INDENT
    for *cells, file in rows:
        line = "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        )
        if len(line) + 2 + len(file) <= room:
            _indented(console, Text(f"{line}  {file}"))
        else:
            _indented(console, Text(line.rstrip()))
            _indented(console, Text(" " * (widths[0] + 2) + file))


def _point_cells(point: Point, trace: Trace) -> tuple[str, str, str, str, str]:
    links = ", ".join(_link_name(value) for value in point.linktypes) or "-"
    clock = _clock_text(trace.clocks[point.name], point.name == trace.reference)
    count = _plural(len(point.messages), "message")
    return printable(point.name), links, count, clock, printable(point.file)


def _clock_text(clock: Clock | None, reference: bool) -> str:
    """`+0.000000 s ± 0.000013`, `reference`, or `clock unknown`."""
    if reference:
        return "reference"
    if clock is None:
        return "clock unknown"
    return f"{clock.offset:+.6f} s ± {clock.error:.6f}"


def _write_order(console: Console, trace: Trace) -> None:
    """`Order: client > bridge > server (from the evidence)`, each hop's
    grounds when they differ, then whatever is uncertain."""
    order = trace.order
    names = " > ".join(printable(name) for name in order.points)
    bases = {hop.basis for hop in order.hops}
    console.print()
    if not order.hops:
        console.print(Text("Order: one point"))
    elif len(bases) == 1:
        console.print(Text(f"Order: {names} ({_BASES[bases.pop()]})"))
    else:
        console.print(Text(f"Order: {names}"))
        for hop in order.hops:
            pair = f"{printable(hop.near)} > {printable(hop.far)}"
            _indented(console, Text(f"{pair}: {_BASES[hop.basis]}"))
    for doubt in order.doubts:
        _indented(console, Text(f"uncertain: {printable(doubt)}", style="yellow"))


def _write_messages(console: Console, trace: Trace) -> None:
    console.print()
    if not trace.transactions:
        console.print(Text("Messages: none"))
        return
    console.print(Text("Messages (delay from the previous point, +held there, ms)"))
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0)
    )
    for header, width in _FIXED_COLUMNS:
        table.add_column(header, no_wrap=True, min_width=width)
    for name in trace.order.points:
        table.add_column(Text(printable(name)), overflow="fold")
    for txn in trace.transactions:
        _add_rows(table, txn, trace)
    console.print(table)


def _add_rows(table: Table, txn: TracedTransaction, trace: Trace) -> None:
    for number, path in enumerate(txn.paths, start=1):
        by_point = {visit.point: visit for visit in path.visits}
        table.add_row(
            Text(_local(sent(path, trace.clocks))),
            Text(hex_xid(txn.xid)),
            Text(f"{_type_name(path).upper()} {_ARROWS[path.direction]}"),
            *(_cell(path, by_point[name]) for name in trace.order.points),
            end_section=number == len(txn.paths),
        )


def _cell(path: MessagePath, visit: Visit) -> Text:
    """`✓ 0.010+0.316` where seen, `✗` where it never came, `?` where the
    capture missed it, `·` where it was not going."""
    passage = visit.passage
    if passage is None:
        if visit.point == path.never_on:
            return Text.assemble((_LOST, "bold red"))
        return Text(_MISSED if visit.point in path.missed else _ABSENT)
    text = _SEEN
    if visit.delay is not None:
        text += f" {_ms(visit.delay)}"
    if len(passage.sightings) > 1:
        text += f"+{_ms(passage.held)}"
    return Text(text)


def _write_lost(console: Console, trace: Trace) -> None:
    console.print()
    if not trace.lost:
        console.print(Text("Lost messages: none"))
        return
    console.print(Text(f"Lost messages ({len(trace.lost)})"))
    for path in trace.lost:
        finding = lost.finding(path)
        said = printable(f" {finding.name}: {finding.message}")
        _indented(console, Text.assemble((finding.code, "yellow"), said))
        frames = ", ".join(
            f"{printable(point)} {' '.join(map(str, numbers))}"
            for point, numbers in _frames_by_point(path).items()
        )
        where = f"frames {frames}  client {finding.client}"
        _indented(console, Text(where), level=2)


def trace_document(trace: Trace) -> Record:
    """The whole `--format json` document."""
    return {
        "version": VERSION,
        "summary": {
            "points": len(trace.points),
            "transactions": len(trace.transactions),
            "messages": sum(len(txn.paths) for txn in trace.transactions),
            "lost": len(trace.lost),
        },
        "reference": clean(trace.reference),
        "order": {
            "points": [clean(name) for name in trace.order.points],
            "certain": trace.order.certain,
            "hops": [
                {
                    "near": clean(hop.near),
                    "far": clean(hop.far),
                    "basis": str(hop.basis),
                }
                for hop in trace.order.hops
            ],
            "doubts": [clean(doubt) for doubt in trace.order.doubts],
        },
        "points": [_point_record(point, trace) for point in trace.points],
        "links": [_link_record(link) for link in trace.links],
        "transactions": [_transaction_record(txn, trace) for txn in trace.transactions],
        "findings": [_lost_record(path) for path in trace.lost],
    }


def _point_record(point: Point, trace: Trace) -> Record:
    clock = trace.clocks[point.name]
    return {
        "name": clean(point.name),
        "file": clean(point.file),
        "link_types": [_link_name(value) for value in point.linktypes],
        "messages": len(point.messages),
        "clock": None
        if clock is None
        else {"offset": clock.offset, "error": clock.error},
    }


def _link_record(link: Link) -> Record:
    return {
        "first": clean(link.first),
        "second": clean(link.second),
        "to_server": link.to_server,
        "to_client": link.to_client,
        "offset_if_first_nearer": _interval_record(link.forward),
        "offset_if_second_nearer": _interval_record(link.backward),
    }


def _interval_record(interval: Interval) -> Record:
    return {"low": interval.low, "high": interval.high, "possible": not interval.empty}


def _transaction_record(txn: TracedTransaction, trace: Trace) -> Record:
    return {
        "xid": hex_xid(txn.xid),
        "client": txn.client_mac,
        "messages": [_path_record(path, trace) for path in txn.paths],
    }


def _path_record(path: MessagePath, trace: Trace) -> Record:
    return {
        "type": message_type_name(path.track.seen.type),
        "direction": str(path.direction),
        "sent": iso_time(sent(path, trace.clocks)),
        "path": [_visit_record(visit) for visit in path.visits],
        "lost_after": None if path.lost_after is None else clean(path.lost_after),
        "never_on": None if path.never_on is None else clean(path.never_on),
        "missed": [clean(name) for name in path.missed],
    }


def _visit_record(visit: Visit) -> Record:
    passage = visit.passage
    return {
        "point": clean(visit.point),
        "seen": passage is not None,
        "frames": [] if passage is None else list(passage.frames),
        "time": None if passage is None else iso_time(passage.first),
        "held": None if passage is None else passage.held,
        "delay": visit.delay,
    }


def _lost_record(path: MessagePath) -> Record:
    """A finding record, with the last point that saw the message, the one
    it never reached, and its frames at each point that saw it."""
    finding = lost.finding(path)
    frames = _frames_by_point(path)
    return {
        **finding_record(finding),
        "point": clean(finding.source),
        "never_on": clean(path.never_on or ""),
        "frames_by_point": {clean(name): list(n) for name, n in frames.items()},
    }


def _frames_by_point(path: MessagePath) -> dict[str, tuple[int, ...]]:
    return {
        visit.point: visit.passage.frames
        for visit in path.visits
        if visit.passage is not None
    }


def _type_name(path: MessagePath) -> str:
    return message_type_name(path.track.seen.type) or "bootp"


def _link_name(value: int) -> str:
    """`ethernet`, `linux_sll2`; the number for a type not listed."""
    known = link_type(value)
    return known.name.lower() if isinstance(known, LinkType) else str(value)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f}"


def _local(epoch: float) -> str:
    """Local time of day to the microsecond, as tcpdump prints it."""
    return local_time(epoch)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _indented(console: Console, renderable: RenderableType, level: int = 1) -> None:
    console.print(Padding(renderable, (0, 0, 0, _INDENT * level), expand=False))
