from ipaddress import IPv4Address

import pytest
from rules.message.build import CLIENT, SERVER, XID, MakeSeen, Run

from dhcpcheck.craft.bootp import MAGIC_COOKIE, Bootp
from dhcpcheck.craft.options import classless_routes, option_bytes
from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.invalid_option_value import RULE
from dhcpcheck.transactions.model import Seen

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def test_fires_on_an_mtu_below_68(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(5, options=((26, b"\x00\x3c"),), frame=6)) == [
        Hit(
            "option 26 interface mtu 60 (minimum 68)",
            frames=(6,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(SERVER),
            option=26,
            severity=ERROR,
        )
    ]


# (option, what the finding says after "option <code> ", severity)
VALUES = [
    ((22, b"\x01\xf4"), "max datagram reassembly size 500 (minimum 576)", ERROR),
    ((57, b"\x02\x3f"), "max message size 575 (minimum 576)", ERROR),
    ((23, b"\x00"), "default ip ttl 0 (minimum 1)", ERROR),
    ((37, b"\x00"), "tcp default ttl 0 (minimum 1)", ERROR),
    ((53, b"\x13"), "message type 19 (expected 1 to 18)", ERROR),
    ((52, b"\x04"), "option overload 4 (expected 1 to 3)", ERROR),
    ((46, b"\x03"), "netbios node type 3 (expected 1, 2, 4 or 8)", WARNING),
    ((19, b"\x02"), "boolean option 2 (expected 0 or 1)", WARNING),
    ((116, b"\x07"), "auto-configure 7 (expected 0 or 1)", ERROR),
    ((120, b"\x02\x00"), "sip servers encoding 2 (expected 0 or 1)", ERROR),
    ((1, bytes([255, 0, 255, 0])), "subnet mask 255.0.255.0 not contiguous", WARNING),
    (
        (33, bytes(4) + bytes([192, 0, 2, 1])),
        "static route to 0.0.0.0 (the default route is not allowed here)",
        ERROR,
    ),
    ((54, bytes(4)), "server identifier 0.0.0.0 (expected a unicast address)", ERROR),
    (
        (54, bytes([224, 0, 0, 1])),
        "server identifier 224.0.0.1 (expected a unicast address)",
        ERROR,
    ),
    (
        (54, bytes([239, 255, 255, 250])),
        "server identifier 239.255.255.250 (expected a unicast address)",
        ERROR,
    ),
    (
        (54, b"\xff" * 4),
        "server identifier 255.255.255.255 (expected a unicast address)",
        ERROR,
    ),
    (
        (61, b"\xff\x00\x00\x00\x01"),
        "client identifier type 255 of 5 bytes (IAID and DUID need at least 7)",
        ERROR,
    ),
    ((81, b"\x09\x00\x00"), "client fqdn flags 0x09 (N and S both set)", ERROR),
    ((81, b"\x11\x00\x00"), "client fqdn flags 0x11 (reserved bits set)", WARNING),
    ((55, b"\x01\x00\x03"), "parameter request list asks for option 0", INFO),
    (
        (77, b"iPXE"),
        "user class malformed: user class at byte 0 of length 105",
        WARNING,
    ),
    (
        (82, b"\x01\x05ab"),
        "relay agent information malformed: sub-option 1 truncated: "
        "5 bytes declared, 2 present",
        ERROR,
    ),
    (
        (121, b"\x21" + bytes(8)),
        "classless static routes malformed: route prefix length 33 (max 32)",
        ERROR,
    ),
    (
        (124, bytes(4) + b"\x09ab"),
        "vendor class malformed: vendor block at byte 0 truncated",
        ERROR,
    ),
]


@pytest.mark.parametrize(("option", "text", "severity"), VALUES)
def test_value_rules(
    seen: MakeSeen,
    run: Run,
    option: tuple[int, bytes],
    text: str,
    severity: Severity,
) -> None:
    code = option[0]
    hits = run(RULE, seen(None, options=(option,), op=2))  # its only option
    assert [(hit.message, hit.severity, hit.option) for hit in hits] == [
        (f"option {code} {text}", severity, code)
    ]


def test_plateau_table_low_and_unordered(seen: MakeSeen, run: Run) -> None:
    plateau = (25, bytes([0x05, 0xDC, 0x00, 0x3C]))  # 1500, 60
    assert [hit.message for hit in run(RULE, seen(5, options=(plateau,)))] == [
        "option 25 mtu plateau 60 (minimum 68)",
        "option 25 mtu plateau table not ascending (1500 60)",
    ]


def test_parameter_list_repeats(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(1, options=((55, b"\x01\x03\x01\x03\x06"),)))
    assert [hit.message for hit in hits] == [
        "option 55 parameter request list repeats 1 3"
    ]


def test_option_52_outside_the_options_field(seen: MakeSeen, run: Run) -> None:
    area = (
        MAGIC_COOKIE + option_bytes(53, b"\x05") + option_bytes(52, b"\x01") + b"\xff"
    )
    file = option_bytes(52, b"\x02") + b"\xff"
    payload = Bootp(op=2, xid=XID, chaddr=CLIENT, file=file, raw_options=area).encode()
    hits = run(RULE, seen(5, payload=payload))
    assert [(hit.message, hit.option) for hit in hits] == [
        ("option 52 in the file field (allowed only in options)", 52)
    ]


def test_silent_on_good_values(seen: MakeSeen, run: Run) -> None:
    options = (
        (1, bytes([255, 255, 255, 0])),
        (26, b"\x05\xdc"),
        (57, b"\x02\x40"),
        (46, b"\x08"),
        (19, b"\x01"),
        (25, bytes([0x00, 0x44, 0x05, 0xDC])),
        (61, b"\xff" + bytes(4) + b"\x00\x03\x00\x01" + bytes(6)),
        (81, b"\x05\x00\x00"),
        (82, b"\x01\x02ab\x02\x00"),
        (54, bytes([223, 255, 255, 255])),  # the last unicast before multicast
        (55, b"\x01\x03\x06\x0f"),
        classless_routes(("10.0.0.0/8", "192.0.2.254"), ("0.0.0.0/0", "192.0.2.1")),
    )
    assert run(RULE, seen(5, options=options)) == []


def test_leaves_bad_lengths_and_cuts_alone(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(5, options=((26, b"\x00"),))) == []  # bad-option-length
    assert run(RULE, seen(5, options=((26, b"\x00\x3c"),), snap=244)) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
