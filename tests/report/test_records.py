"""The JSON records of `analyze`: field values, and the schema they must follow."""

import json
from collections.abc import Iterator
from dataclasses import replace
from importlib.resources import files
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from dhcpcheck.capture import read_frames
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.config import load_config
from dhcpcheck.craft import options as opt
from dhcpcheck.craft.bootp import Bootp, BootpOp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.options import Option
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.records import (
    clean,
    document,
    finding_record,
    iso_time,
    line_record,
    message_type_name,
    summary_line,
)
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.model import Kind, Outcome, Transaction

SEED = "samples/openstack-dora.pcap"
START = 1623162713.0  # 2021-06-08 14:31:53 UTC
CLIENT = "02:00:00:00:00:0a"
SILENT = "02:00:00:00:00:0b"
SERVER = "10.0.0.1"
LEASED = "10.0.0.50"
HOSTNAME = b"pc-\xff\x1b[2J"  # an invalid UTF-8 byte and an escape sequence
TERMS = (
    opt.addresses(OptionCode.SERVER_ID, SERVER),
    opt.uint32(OptionCode.LEASE_TIME, 600),
    opt.uint32(OptionCode.RENEWAL_TIME, 300),
    opt.uint32(OptionCode.REBINDING_TIME, 525),
)
CHOSEN = opt.addresses(OptionCode.SERVER_ID, SERVER)

SCHEMA = json.loads(
    files("dhcpcheck.report").joinpath("analyze.schema.json").read_text()
)
DOCUMENT = Draft202012Validator(
    SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
)
LINE = Draft202012Validator(
    {"$ref": "#/$defs/line", "$defs": SCHEMA["$defs"]},
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)


def asked(
    at: float,
    xid: int,
    kind: MessageType,
    *options: Option,
    chaddr: str = CLIENT,
    ciaddr: str = "0.0.0.0",
    dst: str = "255.255.255.255",
) -> tuple[float, bytes]:
    """A client message with a host name, sent from `ciaddr`."""
    named = (opt.message_type(kind), opt.text(OptionCode.HOSTNAME, HOSTNAME), *options)
    message = Bootp(xid=xid, ciaddr=ciaddr, chaddr=chaddr, options=named)
    packet = udp_ipv4(message.encode(), IPv4(src=ciaddr, dst=dst))
    return at, ethernet(packet, src=chaddr)


def answered(at: float, xid: int, kind: MessageType) -> tuple[float, bytes]:
    """The server's reply granting LEASED."""
    message = Bootp(
        op=BootpOp.BOOTREPLY,
        xid=xid,
        yiaddr=LEASED,
        chaddr=CLIENT,
        options=(opt.message_type(kind), *TERMS),
    )
    ip = IPv4(src=SERVER, dst=LEASED)
    packet = udp_ipv4(message.encode(), ip, UDP(sport=67, dport=68))
    return at, ethernet(packet, src="02:00:00:00:00:01", dst=CLIENT)


def scenario() -> list[Frame]:
    """A DORA, a renewal and a release by one client; another never answered."""
    unicast = {"ciaddr": LEASED, "dst": SERVER}
    wanted = opt.addresses(OptionCode.REQUESTED_IP, LEASED)
    packets = [
        asked(0.0, 0x11111111, MessageType.DISCOVER),
        asked(0.5, 0x44444444, MessageType.DISCOVER, chaddr=SILENT),
        answered(0.010, 0x11111111, MessageType.OFFER),
        asked(0.020, 0x11111111, MessageType.REQUEST, CHOSEN, wanted),
        answered(0.035, 0x11111111, MessageType.ACK),
        asked(4.5, 0x44444444, MessageType.DISCOVER, chaddr=SILENT),
        asked(300.0, 0x22222222, MessageType.REQUEST, **unicast),
        answered(300.002, 0x22222222, MessageType.ACK),
        asked(400.0, 0x33333333, MessageType.RELEASE, CHOSEN, **unicast),
    ]
    packets.sort(key=lambda packet: packet[0])
    return [
        captured(number, round((START + at) * 1e9), LinkType.ETHERNET, data)
        for number, (at, data) in enumerate(packets, start=1)
    ]


def analysed(frames: list[Frame], source: str) -> tuple[Analysis, list[Transaction]]:
    analysis = Analysis(load_config(None), source)
    events = list(analysis.run(frames))
    return analysis, [event for event in events if isinstance(event, Transaction)]


FINDING = Finding(
    code="DHC104",
    name="slow-offer",
    severity=Severity.WARNING,
    message='offer for "pc-\\xff" took 3.005 s (limit 1 s)',
    source="lab.pcap",
    frames=(1, 3),
    xid=0x11111111,
    client=CLIENT,
    server=IPv4Address(SERVER),
    option=51,
    time=START + 0.25,
)


def finding(**changes: object) -> Finding:
    return replace(FINDING, **changes)


@pytest.fixture
def lab() -> Iterator[tuple[Analysis, list[Transaction]]]:
    yield analysed(scenario(), "lab.pcap")


def test_the_seed_dora_as_a_document() -> None:
    analysis, transactions = analysed(list(read_frames(SEED)), SEED)
    doc = document([analysis], transactions, [])

    DOCUMENT.validate(doc)
    [txn] = doc["transactions"]
    head = ("xid", "client", "kind", "outcome", "server", "address", "hostname")
    assert {key: txn[key] for key in (*head, "start", "end")} == {
        "xid": "0x6265ab6d",
        "client": "fa:16:3e:d6:62:84",
        "kind": "dora",
        "outcome": "bound",
        "server": "1.1.1.2",
        "address": "1.1.1.13",
        "hostname": None,
        "start": "2021-06-08T14:31:53.831654Z",
        "end": "2021-06-08T14:31:53.872377Z",
    }
    assert txn["latency"] == pytest.approx(
        {"offer": 0.000502, "request": 0.026961, "ack": 0.013260, "total": 0.040723},
        abs=1e-6,
    )
    assert txn["source"] == SEED
    assert [m["type"] for m in txn["messages"]] == [
        "discover",
        "offer",
        "request",
        "ack",
    ]
    assert txn["messages"][1] == {
        "frame": 2,
        "time": "2021-06-08T14:31:53.832156Z",
        "type": "offer",
        "source": "1.1.1.2:67",
        "destination": "1.1.1.13:68",
        "mac": "fa:16:3e:4c:de:f2",
        "retransmission": False,
        "copy_of": None,
        "secs": 0,
    }


def test_the_seed_summary_client_and_server() -> None:
    analysis, transactions = analysed(list(read_frames(SEED)), SEED)
    doc = document([analysis], transactions, [])

    capture = doc["summary"]["captures"][0]
    assert capture == doc["summary"]["total"] | {"source": SEED}
    assert doc["summary"]["total"] == {
        "frames": 4,
        "messages": 4,
        "first": "2021-06-08T14:31:53.831654Z",
        "last": "2021-06-08T14:31:53.872377Z",
        "duration": pytest.approx(0.040723, abs=1e-6),
        "transactions": 1,
        "kinds": {"dora": 1},
        "outcomes": {"bound": 1},
        "clients": 1,
        "servers": 1,
        "findings": {"error": 0, "warning": 0, "info": 0},
    }
    [lease] = doc["clients"][0]["leases"]
    assert lease["start"] == "2021-06-08T14:31:53.859117Z"
    assert (lease["lease_time"], lease["t1"], lease["t2"]) == (86400, 43200, 75600)
    assert lease["renew_at"] == "2021-06-09T02:31:53.859117Z"
    assert lease["expiry"] == "2021-06-09T14:31:53.859117Z"
    [server] = doc["servers"]
    assert server["counts"] == {"offer": 1, "ack": 1}
    assert server["macs"] == ["fa:16:3e:4c:de:f2"]
    assert server["offer_latency"]["count"] == 1
    assert server["ack_latency"]["max"] == pytest.approx(0.013260, abs=1e-6)


def test_renewal_release_and_silence(lab: tuple[Analysis, list[Transaction]]) -> None:
    analysis, transactions = lab
    doc = document([analysis], transactions, [])

    DOCUMENT.validate(doc)
    summary = {
        (txn["xid"], txn["kind"], txn["outcome"], txn["server"], txn["address"])
        for txn in doc["transactions"]
    }
    assert summary == {
        ("0x11111111", "dora", "bound", SERVER, LEASED),
        ("0x44444444", "dora", "no-offer", None, None),
        ("0x22222222", "renew", "bound", SERVER, LEASED),
        ("0x33333333", "release", "released", SERVER, LEASED),
    }
    silent = next(txn for txn in doc["transactions"] if txn["client"] == SILENT)
    assert [m["retransmission"] for m in silent["messages"]] == [False, True]
    assert silent["latency"] == dict.fromkeys(("offer", "request", "ack", "total"))


def test_lease_timeline_fields(lab: tuple[Analysis, list[Transaction]]) -> None:
    analysis, transactions = lab
    doc = document([analysis], transactions, [])

    client = next(c for c in doc["clients"] if c["mac"] == CLIENT)
    assert client["transactions"] == 3
    first, second = client["leases"]
    assert first["xid"] == "0x11111111"
    assert first["renewals"] == [
        {"xid": "0x22222222", "time": iso_time(START + 300), "outcome": "bound"}
    ]
    assert first["ended"] == iso_time(START + 300)
    assert second["start"] == iso_time(START + 300)
    assert second["released"] == second["ended"] == iso_time(START + 400)
    assert second["expiry"] == iso_time(START + 900)


def test_wire_text_stays_text(lab: tuple[Analysis, list[Transaction]]) -> None:
    analysis, transactions = lab
    doc = document([analysis], transactions, [])

    assert doc["transactions"][0]["hostname"] == "pc-\\xff\x1b[2J"
    assert doc["clients"][0]["hostname"] == "pc-\\xff\x1b[2J"
    dumped = json.dumps(doc, ensure_ascii=False)
    assert '"pc-\\\\xff\\u001b[2J"' in dumped
    assert json.loads(dumped) == doc


def test_surrogates_are_escaped_for_utf8() -> None:
    message = b"bad \xff".decode("utf-8", "surrogateescape")

    record = finding_record(finding(message=message, source="cap\udcfe.pcap"))

    assert record["message"] == "bad \\udcff"
    assert record["source"] == "cap\\udcfe.pcap"
    json.dumps(record, ensure_ascii=False).encode("utf-8")
    assert clean("plain ü") == "plain ü"


def test_finding_record() -> None:
    assert finding_record(finding()) == {
        "code": "DHC104",
        "name": "slow-offer",
        "severity": "warning",
        "message": 'offer for "pc-\\xff" took 3.005 s (limit 1 s)',
        "source": "lab.pcap",
        "frames": [1, 3],
        "xid": "0x11111111",
        "client": CLIENT,
        "server": SERVER,
        "option": 51,
        "field": None,
        "time": "2021-06-08T14:31:53.250000Z",
    }
    empty = finding_record(finding(xid=None, server=None, client=None, time=None))
    assert (empty["xid"], empty["server"], empty["client"], empty["time"]) == (
        None,
        None,
        None,
        None,
    )


def test_findings_are_counted_per_capture(
    lab: tuple[Analysis, list[Transaction]],
) -> None:
    analysis, transactions = lab
    seed, seed_transactions = analysed(list(read_frames(SEED)), SEED)
    findings = [
        finding(),
        finding(severity=Severity.ERROR),
        finding(source=SEED, severity=Severity.INFO),
    ]

    doc = document([analysis, seed], transactions + seed_transactions, findings)

    DOCUMENT.validate(doc)
    ours, theirs = doc["summary"]["captures"]
    assert ours["findings"] == {"error": 1, "warning": 1, "info": 0}
    assert theirs["findings"] == {"error": 0, "warning": 0, "info": 1}
    total = doc["summary"]["total"]
    assert total["findings"] == {"error": 1, "warning": 1, "info": 1}
    assert (total["frames"], total["transactions"], total["clients"]) == (13, 5, 3)
    assert total["first"] == "2021-06-08T14:31:53.000000Z"
    starts = [txn["start"] for txn in doc["transactions"]]
    assert starts == sorted(starts)
    assert [client["source"] for client in doc["clients"]] == [
        "lab.pcap",
        "lab.pcap",
        SEED,
    ]


def test_jsonl_lines(lab: tuple[Analysis, list[Transaction]]) -> None:
    analysis, transactions = lab

    lines = [line_record(txn) for txn in transactions]
    lines += [line_record(finding()), summary_line([analysis], [finding()])]

    for line in lines:
        LINE.validate(json.loads(json.dumps(line)))
    assert [line["type"] for line in lines] == ["transaction"] * 4 + [
        "finding",
        "summary",
    ]
    assert lines[-2] == {"type": "finding", **finding_record(finding())}
    assert lines[-1]["total"]["findings"]["warning"] == 1


def test_the_schema_holds_its_fields() -> None:
    bad_xid = {"type": "finding", **finding_record(finding())} | {"xid": "6265ab6d"}
    extra = {"type": "finding", **finding_record(finding())} | {"colour": "red"}
    untyped = finding_record(finding())

    for line in (bad_xid, extra, untyped):
        assert not LINE.is_valid(line)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("transactions", 0, "colour"), "red"),
        (("transactions", 0, "messages", 0, "type"), 3),
        (("summary", "total", "colour"), "red"),
        (("clients", 0, "leases", 0, "start"), "2021-06-08 14:31"),
        (("servers", 0, "offer_latency"), {"count": 1}),
    ],
)
def test_the_schema_refuses(path: tuple[str | int, ...], value: object) -> None:
    analysis, transactions = analysed(list(read_frames(SEED)), SEED)
    doc = document([analysis], transactions, [])
    inner = doc
    for step in path[:-1]:
        inner = inner[step]

    inner[path[-1]] = value

    assert not DOCUMENT.is_valid(doc)


@pytest.mark.parametrize(
    ("value", "name"),
    [(1, "discover"), (13, "leaseactive"), (200, "200"), (None, None)],
)
def test_message_type_names(value: int | None, name: str | None) -> None:
    assert message_type_name(value) == name


@pytest.mark.parametrize(
    "path", [SEED, *sorted(str(path) for path in Path("samples/lab").glob("*.pcap"))]
)
def test_every_sample_validates(path: str) -> None:
    analysis = Analysis(load_config(None), path)
    events = list(analysis.run(read_frames(path)))
    transactions = [event for event in events if isinstance(event, Transaction)]
    findings = [event for event in events if isinstance(event, Finding)]

    DOCUMENT.validate(document([analysis], transactions, findings))
    for event in events:
        LINE.validate(line_record(event))
    LINE.validate(summary_line([analysis], findings))


def test_schema_enums_follow_the_code() -> None:
    found: dict[str, object] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("kind", "outcome") and isinstance(value, dict):
                    found.setdefault(key, value.get("enum"))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(SCHEMA)
    assert found["kind"] == [kind.value for kind in Kind]
    assert found["outcome"] == [outcome.value for outcome in Outcome]


def test_iso_time_of_any_claimed_time_stamp() -> None:
    assert iso_time(1623162713.831654) == "2021-06-08T14:31:53.831654Z"
    assert iso_time(1e20) == "9999-12-31T23:59:59.999999Z"
    assert iso_time(-1e20) == "0001-01-01T00:00:00.000000Z"
