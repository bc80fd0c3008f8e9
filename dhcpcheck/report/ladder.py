"""A transaction as a sequence diagram: one row per message, an arrow from
the host that sent it to those it reached, the client on the left.

Relays (by giaddr) and servers (by server identifier) get a column each; the
diagram is drawn from what the capture saw and judges nothing.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address

from rich.console import Console
from rich.text import Text

from dhcpcheck.decode.bootp import Op
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.report.records import hex_xid, iso_time
from dhcpcheck.transactions.model import BROADCAST, Outcome, Seen, Transaction
from dhcpcheck.transactions.servers import server_identifier

ZERO = IPv4Address(0)
MIN_GAP = 12  # columns from one lane to the next: "─DISCOVER─>" and a lane
MAX_GAP = 24
RIGHT_MARGIN = 8  # room for half of the last column's address
TIME_GAP = 3  # blanks between the time and the client's lane
ENDINGS: Mapping[Outcome, str] = {
    Outcome.NO_OFFER: "no reply",
    Outcome.NO_ACK: "no reply",
    Outcome.NO_ANSWER: "no reply",
    Outcome.OFFER_NOT_TAKEN: "no request",
    Outcome.CUT_OFF: "capture ends",
}
STYLES: Mapping[int | None, str] = {MessageType.NAK: "bold red"}
KNOWN_TYPES = frozenset(MessageType)
NOT_TAKEN_STYLE = "dim"
ENDING_STYLE = "bold"


class Role(StrEnum):
    """What a column stands for."""

    CLIENT = "client"
    RELAY = "relay"
    SERVER = "server"


@dataclass(frozen=True, slots=True)
class Column:
    """One lane: the client, a relay by giaddr, or a server by identifier.

    `address` is None for the client, and for the server lane drawn when no
    server was seen at all.
    """

    role: Role
    address: IPv4Address | None = None


@dataclass(frozen=True, slots=True)
class Columns:
    """A transaction's lanes, left to right, and how messages find them."""

    lanes: tuple[Column, ...]
    relays: Mapping[IPv4Address, int]  # giaddr to lane
    servers: Mapping[IPv4Address, int]  # server identifier or address to lane
    local: tuple[int, ...]  # lanes a broadcast on the client's segment reaches


@dataclass(frozen=True, slots=True)
class Row:
    """One message: an arrow from `sender` to each of `receivers` (lanes)."""

    offset: float  # seconds after the transaction's first message
    label: str
    sender: int
    receivers: tuple[int, ...]
    notes: tuple[str, ...] = ()
    style: str = ""


def pick_columns(txn: Transaction) -> Columns:
    """The client, then relays and servers in the order the capture met them.

    A server is known by its server identifier, and by the address it sent
    from when it sent straight to the relay or client; a client's unicast
    names one by its address. With no server seen, one lane stands for them.
    """
    relays: list[IPv4Address] = []
    servers: list[IPv4Address] = []
    known: dict[IPv4Address, int] = {}  # address to index in `servers`
    local: set[int] = set()
    for step in txn.steps:
        seen = step.seen
        giaddr = seen.message.giaddr
        if giaddr != ZERO and giaddr not in relays:
            relays.append(giaddr)
        if seen.from_client and seen.ip_dst != BROADCAST:
            index = _server(servers, known, seen.ip_dst, None)
            if not seen.relayed:
                local.add(index)
        elif not seen.from_client:
            via_relay = giaddr != ZERO and not seen.relayed  # sent by the relay
            sender = None if via_relay else seen.ip_src
            index = _server(servers, known, server_identifier(seen), sender)
            if giaddr == ZERO:
                local.add(index)
    first_server = 1 + len(relays)
    lanes = [Column(Role.CLIENT)]
    lanes += [Column(Role.RELAY, relay) for relay in relays]
    lanes += [Column(Role.SERVER, server) for server in servers]
    if not servers:
        lanes.append(Column(Role.SERVER))
    reached = [*range(1, first_server), *(first_server + i for i in sorted(local))]
    return Columns(
        lanes=tuple(lanes),
        relays={relay: 1 + index for index, relay in enumerate(relays)},
        servers={address: first_server + i for address, i in known.items()},
        local=tuple(reached) or tuple(range(first_server, len(lanes))),
    )


def _server(
    servers: list[IPv4Address],
    known: dict[IPv4Address, int],
    identifier: IPv4Address,
    address: IPv4Address | None,
) -> int:
    """The index of the server known by `identifier` or `address`, added if new."""
    index = known.get(identifier)
    if index is None and address is not None:
        index = known.get(address)
    if index is None:
        index = len(servers)
        servers.append(identifier)
    known.setdefault(identifier, index)
    if address is not None:
        known.setdefault(address, index)
    return index


def ladder_rows(txn: Transaction, columns: Columns) -> list[Row]:
    """One row per message seen, relay copies included, in capture order."""
    rows: list[Row] = []
    retries: Counter[int | None] = Counter()
    chosen = _chosen_server(txn)
    for step in txn.steps:
        seen = step.seen
        notes: list[str] = []
        if step.copy_of is not None:
            notes.append("relay copy")
        if step.retransmission:
            retries[seen.type] += 1
            notes += [f"retry {retries[seen.type]}", f"secs {seen.message.secs}"]
        style = STYLES.get(seen.type, "")
        if seen.type == MessageType.OFFER and _not_taken(txn, seen, chosen):
            notes.append("not taken")
            style = NOT_TAKEN_STYLE
        sender, receivers = _route(seen, columns)
        offset = seen.time - txn.start
        label = _label(seen)
        rows.append(Row(offset, label, sender, receivers, tuple(notes), style))
    return rows


def _chosen_server(txn: Transaction) -> IPv4Address | None:
    """The server identifier the client's first REQUEST names, if any."""
    requests = txn.of_type(MessageType.REQUEST)
    named = requests[0].message.value(OptionCode.SERVER_ID) if requests else None
    return IPv4Address(named) if named is not None and len(named) == 4 else None


def _not_taken(txn: Transaction, offer: Seen, chosen: IPv4Address | None) -> bool:
    """An OFFER the client let pass: another server's, or any when it asked none."""
    if chosen is not None:
        return server_identifier(offer) != chosen
    return txn.outcome is Outcome.OFFER_NOT_TAKEN


def _route(seen: Seen, columns: Columns) -> tuple[int, tuple[int, ...]]:
    """The lane a message left from and the lanes it reached."""
    giaddr = seen.message.giaddr
    if not seen.from_client:
        server = columns.servers[server_identifier(seen)]
        if seen.relayed:
            return server, (columns.relays[giaddr],)
        if giaddr != ZERO:
            return columns.relays[giaddr], (0,)
        return server, (0,)
    sender = columns.relays[giaddr] if seen.relayed else 0
    target = columns.servers.get(seen.ip_dst)
    if target is not None and seen.ip_dst != BROADCAST:
        return sender, (target,)
    if seen.relayed:
        return sender, tuple(range(len(columns.relays) + 1, len(columns.lanes)))
    return sender, columns.local


def _label(seen: Seen) -> str:
    """The message type in capitals; BOOTP's op without one."""
    kind = seen.type
    if kind is None:
        return "BOOTREQUEST" if seen.message.op == Op.BOOTREQUEST else "BOOTREPLY"
    if kind in KNOWN_TYPES:
        return MessageType(kind).name
    return f"TYPE {kind}"


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the lanes go on a console line."""

    time_width: int
    gap: int
    lanes: int
    width: int  # the console's

    @property
    def first(self) -> int:
        """The column of the client's lane."""
        return self.time_width + TIME_GAP

    @property
    def span(self) -> int:
        """The width from the first lane to the last, both included."""
        return (self.lanes - 1) * self.gap + 1

    def x(self, lane: int) -> int:
        """The position of `lane` within the span."""
        return lane * self.gap


def write_ladder(console: Console, txn: Transaction) -> None:
    """Draw `txn` as a sequence diagram fitted to the console's width."""
    columns = pick_columns(txn)
    rows = ladder_rows(txn, columns)
    times = [_offset(row.offset) for row in rows]
    notes = [f"({', '.join(row.notes)})" if row.notes else "" for row in rows]
    layout = _fit(console.width, len(columns.lanes), times, notes)
    for line in _title(txn, console.width):
        console.print(Text(line, style="bold"), soft_wrap=True)
    for line in _headers(columns, layout, txn.client_mac):
        console.print(Text(line.rstrip()), soft_wrap=True)
    for row, time, note in zip(rows, times, notes, strict=True):
        grid = _grid(layout)
        _arrow(grid, row, layout)
        line = f"{time:>{layout.time_width}}{' ' * TIME_GAP}{''.join(grid)}"
        room = layout.width - len(line) - 2
        if note:
            line += "  " + _head(note, room)
        console.print(Text(line, style=row.style), soft_wrap=True)
    ending = ENDINGS.get(txn.outcome)
    if ending is not None:
        grid = _grid(layout)
        _label_in(grid, ending, 0, layout)
        line = " " * layout.first + "".join(grid)
        console.print(Text(line, style=ENDING_STYLE), soft_wrap=True)


def _fit(width: int, lanes: int, times: list[str], notes: list[str]) -> _Layout:
    """Lanes as far apart as the console allows, within MIN_GAP..MAX_GAP."""
    time_width = max((len(time) for time in times), default=0)
    notes_width = max((len(note) for note in notes), default=0)
    right = max(RIGHT_MARGIN, 2 + notes_width)
    room = width - time_width - TIME_GAP - right - 1
    gap = max(MIN_GAP, min(MAX_GAP, room // (lanes - 1)))
    return _Layout(time_width, gap, lanes, width)


def _offset(seconds: float) -> str:
    """`+0.502 ms` under a second, `+3.005 s` from then on."""
    if seconds < 1:
        return f"+{seconds * 1000:.3f} ms"
    return f"+{seconds:.3f} s"


def _title(txn: Transaction, width: int) -> list[str]:
    """What the transaction was and when it started, on one line if it fits."""
    what = f"xid {hex_xid(txn.xid)}  {txn.kind}, {txn.outcome}"
    when = iso_time(txn.start)
    if len(what) + 2 + len(when) <= width:
        return [f"{what}  {when}"]
    return [what, when]


def _headers(columns: Columns, layout: _Layout, client: str) -> list[str]:
    """Two lines over the lanes: each one's role, then its address (the
    client's MAC), cut to fit between the lanes."""
    roles = [str(column.role) for column in columns.lanes]
    addresses = [_address(column, client) for column in columns.lanes]
    room = layout.gap - 1
    cut = [_tail(address, room) for address in addresses]
    return [_centred(roles, layout), _centred(cut, layout)]


def _address(column: Column, client: str) -> str:
    if column.role is Role.CLIENT:
        return client
    return "(none)" if column.address is None else str(column.address)


def _tail(text: str, room: int) -> str:
    """An address cut to `room` characters from the left, at a dot or colon
    if it can be: the end tells hosts of one subnet apart."""
    if len(text) <= room:
        return text
    for cut, char in enumerate(text):
        if char in ".:" and len(text) - cut <= room:
            return "…" + text[cut + 1 :]
    return "…" + text[len(text) - room + 1 :]


def _head(text: str, room: int) -> str:
    """`text` cut to `room` characters from the right."""
    return text if len(text) <= room else text[: max(room - 1, 0)] + "…"


def _centred(labels: list[str], layout: _Layout) -> str:
    """Each label centred on its lane."""
    line = [" "] * (layout.first + layout.span + RIGHT_MARGIN)
    for lane, label in enumerate(labels):
        start = layout.first + layout.x(lane) - len(label) // 2
        line[start : start + len(label)] = label
    return "".join(line)


def _grid(layout: _Layout) -> list[str]:
    """An empty row: a `│` on every lane."""
    grid = [" "] * layout.span
    for lane in range(layout.lanes):
        grid[layout.x(lane)] = "│"
    return grid


def _arrow(grid: list[str], row: Row, layout: _Layout) -> None:
    """The row's arrow: lanes it only crosses show `┼`, each it reaches a head,
    and the label sits between the sender and the next lane."""
    start = layout.x(row.sender)
    ends = [layout.x(lane) for lane in row.receivers]
    step = 1 if ends[0] > start else -1
    far = max(ends) if step > 0 else min(ends)
    for x in range(start + step, far, step):
        grid[x] = "─" if grid[x] == " " else "┼"
    for end in ends:
        grid[end] = "│"
        grid[end - step] = ">" if step > 0 else "<"
    _label_in(grid, row.label, min(row.sender, row.sender + step), layout)


def _label_in(grid: list[str], label: str, lane: int, layout: _Layout) -> None:
    """`label` centred between `lane` and the next, a cell clear of each end."""
    room = layout.gap - 3
    text = _head(label, room)
    start = layout.x(lane) + 2 + (room - len(text)) // 2
    grid[start : start + len(text)] = text
