"""The BOOTP/DHCP body as tcpdump 4.99.3 and 4.9.3 print it.

Expected texts were taken from the installed tcpdump 4.99.3 and, for 4.9.3,
from the corpus that release printed.
"""

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhcpcheck.craft.bootp import MAGIC_COOKIE, Bootp
from dhcpcheck.decode.options import OPTIONS
from dhcpcheck.report.tcpdump.bootp import format_bootp
from dhcpcheck.report.tcpdump.dhcp_options import FORMATTERS
from dhcpcheck.report.tcpdump.settings import Dialect, PrintSettings

MAC = "00:11:22:33:44:55"
V4_99, V4_9 = Dialect.V4_99, Dialect.V4_9
SEED = Path(__file__).parents[2] / "data" / "corpus" / "seed"


def show(payload: bytes, verbosity: int = 3, dialect: Dialect = V4_99) -> str:
    settings = PrintSettings(dialect=dialect, verbosity=verbosity)
    return format_bootp(payload, len(payload), settings)


def request(
    options: bytes,
    *,
    htype: int = 1,
    hlen: int = 6,
    hops: int = 0,
    secs: int = 0,
    flags: int = 0,
) -> bytes:
    """A request from MAC whose options area is the cookie and ``options``."""
    return Bootp(
        htype=htype,
        hlen=hlen,
        hops=hops,
        xid=0x11223344,
        secs=secs,
        flags=flags,
        chaddr=MAC,
        raw_options=MAGIC_COOKIE + options,
        min_length=0,
    ).encode()


def options_text(options: bytes, dialect: Dialect = V4_99, verbosity: int = 1) -> str:
    """What follows the magic cookie line."""
    return show(request(options), verbosity, dialect).split("0x63825363", 1)[1]


# Each value layout, as tcpdump 4.99.3 prints it at -v.
VALUES = [
    (
        b"\x03\x08\n\x00\x00\x01\n\x00\x00\x02",
        "Default-Gateway (3), length 8: 10.0.0.1,10.0.0.2",
    ),
    (
        b"!\x08\n\x00\x00\x00\n\x00\x00\x01",
        "Static-Route (33), length 8: (10.0.0.0:10.0.0.1)",
    ),
    (b"\x17\x01@", "TTL (23), length 1: 64"),
    (b"\x19\x06\x00D\x01(\x05\xdc", "MTU-Table (25), length 6: 68,296,1500"),
    (b"3\x04\x00\x01Q\x80", "Lease-Time (51), length 4: 86400"),
    (b"\x02\x04\xff\xff\xb9\xb0", "Time-Zone (2), length 4: -18000"),
    (b"\x13\x03\x00\x01\x02", "IPF (19), length 3: N,Y,2?"),
    (b'\x0c\x06a\x00b\xe9\x7f"', 'Hostname (12), length 6: "a^@bM-i^?""'),
    (b"\x0f\x00", 'Domain-Name (15), length 0""'),
    (b"+\x03\x01\x02\xff", "Vendor-Option (43), length 3: 1.2.255"),
    (b"\xc8\x03\x01\x02\x03", "Unknown (200), length 3: 1.2.3"),
    (b"\xc8\x06\x01\x02\x03\x04\x05\x06", "Unknown (200), length 6: 258,772,1286"),
    (
        b"\xc8\x08\x01\x02\x03\x04\x05\x06\x07\x08",
        "Unknown (200), length 8: 16909060,84281096",
    ),
    (b"5\x01\r", "DHCP-Message (53), length 1: LeaseActive"),
    (b"5\x01\t", "DHCP-Message (53), length 1: Unknown (9)"),
    (b"5\x02\x03\x01", "DHCP-Message (53), length 2: 3.1"),
    (b"4\x01\x03", "OO (52), length 1: file+sname"),
    (b".\x01\x08", "Netbios-Node (46), length 1: h-node"),
    (b".\x01\x03", "Netbios-Node (46), length 1: #3"),
    (b".\x00", "Netbios-Node (46), length 0[ERROR: length < 1 bytes]"),
    (b'=\x07\x01\x00\x11"3DU', "Client-ID (61), length 7: ether 00:11:22:33:44:55"),
    (b"=\x04\x00ab\x01", 'Client-ID (61), length 4: "ab^A"'),
    (b"=\x03c\xaa\xbb", "Client-ID (61), length 3: hardware-type 99, aa:bb"),
    (b"=\x00", "Client-ID (61), length 0[ERROR: length < 1 bytes]"),
    (b"M\x01\x05", "User-Class (77), length 1: [ERROR: length < 2 bytes]"),
    (b"Q\x07\x05\x00\x00host", 'FQDN (81), length 7: [SE] "host"'),
    (b"Q\x05\x0f\xff\xffh2", 'FQDN (81), length 5: [SOEN] 255/255 "h2"'),
    (
        b"Q\x04\xf1\x00\x00h",
        'FQDN (81), length 4: [ERROR: MBZ nibble 0xf != 0] [S] "h"',
    ),
    (b"Q\x02\x00\x00", "FQDN (81), length 2: [ERROR: length < 3 bytes]"),
    (
        b"y\x0d\x00\n\x00\x00\x01\x18\xc0\xa8\x01\n\x00\x00\x02",
        "Classless-Static-Route (121), length 13: "
        "(default:10.0.0.1),(192.168.1.0/24:10.0.0.2)",
    ),
    (
        b"y\x04\x00\x01\x02\x03",
        "Classless-Static-Route (121), length 4: [ERROR: length < 5 bytes]",
    ),
    (
        b"y\t!\x01\x02\x03\x04\x05\x06\x07\x08",
        "Classless-Static-Route (121), length 9: [ERROR: Mask width (33) > 32]",
    ),
    (
        b"\xf9\x08\x00\n\x00\x00\x01\x18\x01\x02",
        "Classless-Static-Route-Microsoft (249), length 8: "
        "(default:10.0.0.1),[ERROR: Remaining length (2) < 7 bytes]",
    ),
]


@pytest.mark.parametrize(("option", "line"), VALUES)
def test_value_formats(option: bytes, line: str) -> None:
    assert options_text(option) == "\n\t    " + line


# Options printed over several lines, as tcpdump 4.99.3 prints them at -v.
MULTILINE = [
    (
        b"7\x05\x01\x03\x06\xc8y",
        "Parameter-Request (55), length 5: "
        "\n\t      Subnet-Mask (1), Default-Gateway (3), Domain-Name-Server (6), "
        "Unknown (200)\n\t      Classless-Static-Route (121)",
    ),
    (
        b"M\x07\x03abc\x02de",
        'User-Class (77), length 7: \n\t      instance#1: "abc", length 3'
        '\n\t      instance#2: "de", length 2',
    ),
    (
        b"M\x02\x00\x01",
        "User-Class (77), length 2: "
        "\n\t      instance#1: [ERROR: suboption length must be non-zero]",
    ),
    (
        b"M\x03\x05\x01\x02",
        "User-Class (77), length 3: \n\t      instance#1: [ERROR: invalid option]",
    ),
    (
        b"R\x0f\x01\x03e/1\x02\x02\x00\x06\t\x04\x01\x02\x03\x04",
        "Agent-Information (82), length 15: "
        "\n\t      Circuit-ID SubOption 1, length 3: e/1"
        "\n\t      Remote-ID SubOption 2, length 2: ^@^F"
        "\n\t      Unknown SubOption 9, length 4: \n\t\t0x0000:  0102 0304",
    ),
    (
        b"R\x04\x01\n\x00\x00",
        "Agent-Information (82), length 4: "
        "\n\t      Circuit-ID SubOption 1, length 10: length goes past end of option",
    ),
    (
        b"R\x04\x01\x01x\t",
        "Agent-Information (82), length 4: "
        "\n\t      Circuit-ID SubOption 1, length 1: x\n\t  trailing data length 1",
    ),
    (
        b"R\x14\t\x12" + bytes(range(18)),
        "Agent-Information (82), length 20: "
        "\n\t      Unknown SubOption 9, length 18: "
        "\n\t\t0x0000:  0001 0203 0405 0607 0809 0a0b 0c0d 0e0f\n\t\t0x0010:  1011",
    ),
    (
        b"\x01\x05\xff\xff\xff\x00\x07",
        "Subnet-Mask (1), length 5: 255.255.255.0\n\t  trailing data length 1",
    ),
]


@pytest.mark.parametrize(("option", "text"), MULTILINE)
def test_multiline_values_and_trailing_data(option: bytes, text: str) -> None:
    assert options_text(option) == "\n\t    " + text


def test_every_layout_tcpdump_prints_has_a_formatter() -> None:
    for spec in OPTIONS[1:255]:  # not PAD and END, which carry no value
        assert spec.tcpdump.value in FORMATTERS
        assert spec.tcpdump_4_9.value in FORMATTERS


def test_summary_line_without_v() -> None:
    assert show(request(b"5\x01\x01\xff"), 0) == (
        "BOOTP/DHCP, Request from 00:11:22:33:44:55, length 244"
    )
    reply = Bootp(op=2, chaddr=MAC).encode()
    assert show(reply, 0) == "BOOTP/DHCP, Reply, length 300"
    odd = Bootp(op=3, chaddr=MAC).encode()
    assert show(odd, 0) == "BOOTP/DHCP, unknown (0x03), length 300"


def test_first_line_details_and_flags_word_at_vv() -> None:
    payload = request(b"\xff", hops=3, secs=7, flags=0x8001)
    first = "BOOTP/DHCP, Request from 00:11:22:33:44:55, length 241, hops 3, "
    first += "xid 0x11223344, secs 7, Flags [Broadcast]"
    assert show(payload, 1).split("\n")[0] == first
    assert show(payload, 2).split("\n")[0] == first + " (0x8001)"


@pytest.mark.parametrize(
    ("htype", "hlen", "shown"),
    [(6, 6, ", htype 6, hlen 6"), (1, 16, ", hlen 16"), (0, 20, ", htype 0, hlen 20")],
)
def test_odd_hardware_hides_the_client_address(
    htype: int, hlen: int, shown: str
) -> None:
    text = show(request(b"\xff", htype=htype, hlen=hlen), 1)
    assert text.split("\n")[0] == (
        f"BOOTP/DHCP, Request, length 241{shown}, xid 0x11223344, Flags [none]"
    )
    assert "Client-Ethernet-Address" not in text


def test_address_and_text_fields() -> None:
    payload = Bootp(
        op=2,
        ciaddr="10.0.0.1",
        yiaddr="10.0.0.2",
        siaddr="10.0.0.3",
        giaddr="10.0.0.4",
        chaddr=MAC,
        sname="boot-server",
        file=b"/tftp\x01\xe9",
        raw_options=bytes(4),
    ).encode()
    assert show(payload, 1) == (
        "BOOTP/DHCP, Reply, length 300, Flags [none]"
        "\n\t  Client-IP 10.0.0.1\n\t  Your-IP 10.0.0.2"
        "\n\t  Server-IP 10.0.0.3\n\t  Gateway-IP 10.0.0.4"
        "\n\t  Client-Ethernet-Address 00:11:22:33:44:55"
        '\n\t  sname "boot-server"\n\t  file "/tftp^AM-i"'
    )


@pytest.mark.parametrize(
    ("dialect", "marker"), [(V4_99, " [|bootp]"), (V4_9, "[|bootp]")]
)
def test_text_field_without_nul_is_cut(dialect: Dialect, marker: str) -> None:
    payload = Bootp(op=2, chaddr=MAC, sname="S" * 64).encode()
    assert show(payload, 1, dialect).endswith(f'\n\t  sname "{"S" * 64}"{marker}')


def test_vendor_area_other_than_rfc1048() -> None:
    payload = Bootp(chaddr=MAC, raw_options=bytes.fromhex("deadbeef")).encode()
    assert show(payload, 1).endswith("\n\t  Vendor-#0xdeadbeef")


@pytest.mark.parametrize(
    ("dialect", "flags", "shown"),
    [
        (V4_99, "00000001", " vend-cmu DG:10.0.0.1 SM*:255.255.255.0"),
        (V4_99, "03000000", " vend-cmu F:0x3 DG:10.0.0.1 SM:255.255.255.0"),
        (V4_9, "00000001", " vend-cmu F:0x1000000 DG:10.0.0.1 SM*:255.255.255.0"),
        (V4_9, "01000000", " vend-cmu DG:10.0.0.1 SM:255.255.255.0"),
    ],
)
def test_cmu_vendor_area(dialect: Dialect, flags: str, shown: str) -> None:
    cmu = bytes.fromhex(f"434d5500{flags}ffffff000a000001") + bytes(48)
    payload = Bootp(op=2, chaddr=MAC, raw_options=cmu).encode()
    assert show(payload, 1, dialect).endswith(f"00:11:22:33:44:55{shown}")


def test_pad_and_end_show_only_at_vvv() -> None:
    options = b"\x00\x00\x005\x01\x01\xff\x00\x00\x0c\x01x"
    assert options_text(options, verbosity=2) == (
        "\n\t    DHCP-Message (53), length 1: Discover"
    )
    assert options_text(options, verbosity=3) == (
        "\n\t    PAD (0), length 0, occurs 3"
        "\n\t    DHCP-Message (53), length 1: Discover"
        "\n\t    END (255), length 0\n\t    PAD (0), length 0, occurs 2"
        '\n\t    Hostname (12), length 1: "x"'
    )


# (first cut, last cut, end of the text) for every cut of TRUNCATED at -vvv,
# from tcpdump 4.99.3.
TRUNCATED = Bootp(
    xid=0x11223344,
    chaddr=MAC,
    sname="boot",
    options=((53, b"\x01"), (12, b"host"), (55, b"\x01\x03")),
    min_length=0,
).encode()
CUTS = [
    (0, 0, " [|bootp]"),
    (1, 33, "BOOTP/DHCP, Request [|bootp]"),
    (34, 44, "Client-Ethernet-Address 00:11:22:33:44:55 [|bootp]"),
    (45, 45, 'sname "b" [|bootp]'),
    (46, 46, 'sname "bo" [|bootp]'),
    (47, 47, 'sname "boo" [|bootp]'),
    (48, 239, 'sname "boot" [|bootp]'),
    (240, 240, "Magic Cookie 0x63825363"),
    (241, 241, "Magic Cookie 0x63825363 [|bootp]"),
    (242, 242, "DHCP-Message (53), length 1:  [|bootp]"),
    (243, 243, "DHCP-Message (53), length 1: Discover"),
    (244, 244, "DHCP-Message (53), length 1: Discover [|bootp]"),
    (245, 248, "Hostname (12), length 4:  [|bootp]"),
    (249, 249, 'Hostname (12), length 4: "host"'),
    (250, 250, 'Hostname (12), length 4: "host" [|bootp]'),
    (251, 252, "Parameter-Request (55), length 2:  [|bootp]"),
    (253, 253, "Subnet-Mask (1), Default-Gateway (3)"),
    (254, 254, "END (255), length 0"),
]


@pytest.mark.parametrize(("first", "last", "ending"), CUTS)
def test_every_cut_of_a_small_message(first: int, last: int, ending: str) -> None:
    settings = PrintSettings(verbosity=3)
    for cut in range(first, last + 1):
        text = format_bootp(TRUNCATED[:cut], len(TRUNCATED), settings)
        assert text.endswith(ending), cut
        assert text.count("[|bootp]") == ending.endswith("[|bootp]")


def test_cuts_cover_the_whole_message() -> None:
    covered = [cut for first, last, _ in CUTS for cut in range(first, last + 1)]
    assert covered == list(range(len(TRUNCATED) + 1))


@pytest.mark.parametrize(
    ("cut", "ending"),
    [
        (241, "Magic Cookie 0x63825363|[rfc1048]"),
        (244, "DHCP-Message Option 53, length 1: Discover|[rfc1048]"),
        (245, "Hostname Option 12, length 4: [|rfc1048 4]"),
        (1, "BOOTP/DHCP, Request [|bootp]"),
        (47, 'sname "boo"[|bootp]'),
    ],
)
def test_4_9_3_truncation_markers(cut: int, ending: str) -> None:
    assert show(TRUNCATED[:cut], 3, V4_9).endswith(ending)


@pytest.mark.parametrize(
    ("option", "line"),
    [
        (b"5\x01\x05", "DHCP-Message Option 53, length 1: ACK"),
        (b"5\x01\x0d", "DHCP-Message Option 53, length 1: Unknown (13)"),
        (b"l\x04\x00\x00\x07\x08", "T108 Option 108, length 4: 1800"),
        (b"[\x04\xff\xff\xff\xf0", "VINES Option 91, length 4: 255.255.255.240"),
        (b"\\\x04\x00\x01\x00\x02", "RANK Option 92, length 4: 1,2"),
        (b".\x00", "Netbios-Node Option 46, length 0ERROR: length < 1 bytes"),
        (b"Q\x04\xf1\x00\x00h", 'FQDN Option 81, length 4: [S] "h"'),
        (b"Q\x02\x00\x00", "FQDN Option 81, length 2: ERROR: length < 3 bytes"),
        (
            b"y\x04\x00\x01\x02\x03",
            "Classless-Static-Route Option 121, length 4: ERROR: length < 5 bytes",
        ),
        (
            b"y\t!\x01\x02\x03\x04\x05\x06\x07\x08",
            "Classless-Static-Route Option 121, length 9: "
            "[ERROR: Mask width (33) > 32]",
        ),
        (
            b"7\x05\x01\x03\x06\xc8y",
            "Parameter-Request Option 55, length 5: "
            "\n\t      Subnet-Mask, Default-Gateway, Domain-Name-Server, Option 200"
            "\n\t      Classless-Static-Route",
        ),
        (
            b"M\x02\x00\x01",
            "User-Class Option 77, length 2: "
            "\n\t      instance#1: ERROR: suboption length must be non-zero",
        ),
    ],
)
def test_4_9_3_wording(option: bytes, line: str) -> None:
    assert options_text(option, V4_9) == "\n\t    " + line


def test_4_9_3_extended_request_leaves_an_odd_octet_as_the_next_code() -> None:
    option = b"~\x03\xc1\x0f\x00\x0c\x01x"  # 126 of length 3, then 12 "x"
    assert options_text(option, V4_9, verbosity=3) == (
        "\n\t    T126 Option 126, length 3: xT49423\n\t    PAD Option 0, length 0"
        '\n\t    Hostname Option 12, length 1: "x"'
    )
    assert options_text(option, V4_99, verbosity=3) == (
        '\n\t    Unknown (126), length 3: 193.15.0\n\t    Hostname (12), length 1: "x"'
    )


def test_4_9_3_extended_option_takes_its_code_from_the_data() -> None:
    option = b"\x7f\x04\x0b\x8f\xf0\x9b"
    assert (
        options_text(option, V4_9) == "\n\t    xT2959 Option 2959, length 4: 193982619"
    )
    assert options_text(option, V4_99) == "\n\t    Unknown (127), length 4: 193982619"


def test_4_9_3_extended_option_reads_its_code_past_a_short_option() -> None:
    # Printed as read from the capture, not from the option's own octets.
    assert options_text(b"\x7f\x01\x0b\x8f\xff", V4_9, verbosity=3) == (
        "\n\t    xT2959 Option 2959, length 1: 11"
        "\n\t    T143 Option 143, length 255: [|rfc1048 255]"
    )


def test_an_option_seen_whole_is_still_cut_where_the_capture_ends() -> None:
    option = b"\x0c\x04host"
    payload = request(option + option)
    line = '\n\t    Hostname (12), length 4: "host"'
    assert options_text(option + option) == line + line
    cut = format_bootp(payload[:-1], len(payload), PrintSettings(verbosity=1))
    assert cut.endswith(line + "\n\t    Hostname (12), length 4:  [|bootp]")


def seed_bodies(version: str) -> list[str]:
    """The BOOTP/DHCP part of each packet of the seed document's text."""
    text = (SEED / f"openstack-dora.{version}.n-e-vv.txt").read_text()
    packets = re.split(r"\n(?=\d\d:\d\d:\d\d\.\d{6} )", text.rstrip("\n"))
    return [packet[packet.index("BOOTP/DHCP") :] for packet in packets]


SEED_XID, SEED_CLIENT, SEED_SERVER = (
    0x6265AB6D,
    "fa:16:3e:d6:62:84",
    b"\x01\x01\x01\x02",
)
SEED_ASKED = (55, bytes([1, 28, 2, 121, 15, 6, 12, 40, 41, 42, 26, 119, 3]))
SEED_LEASE = (
    (54, SEED_SERVER),
    (51, (86400).to_bytes(4, "big")),
    (58, (43200).to_bytes(4, "big")),
    (59, (75600).to_bytes(4, "big")),
    (1, bytes([255, 255, 255, 0])),
    (28, bytes([1, 1, 1, 255])),
    (6, SEED_SERVER),
    (15, b"openstacklocal"),
    (12, b"host-1-1-1-13"),
    (26, (1450).to_bytes(2, "big")),
    (3, bytes([1, 1, 1, 1])),
    (121, bytes([32, 169, 254, 169, 254, 1, 1, 1, 2, 0, 1, 1, 1, 1])),
)


def from_client(*options: tuple[int, bytes]) -> bytes:
    return Bootp(xid=SEED_XID, chaddr=SEED_CLIENT, options=options).encode()


def from_server(*options: tuple[int, bytes]) -> bytes:
    return Bootp(
        op=2,
        xid=SEED_XID,
        yiaddr="1.1.1.13",
        siaddr="1.1.1.2",
        chaddr=SEED_CLIENT,
        options=options,
        min_length=343,
    ).encode()


def dora() -> list[bytes]:
    """The four messages of the seed document, rebuilt from its text."""
    requested = (50, bytes([1, 1, 1, 13]))
    return [
        from_client((53, b"\x01"), requested, SEED_ASKED),
        from_server((53, b"\x02"), *SEED_LEASE),
        from_client((53, b"\x03"), (54, SEED_SERVER), requested, SEED_ASKED),
        from_server((53, b"\x05"), *SEED_LEASE),
    ]


@pytest.mark.parametrize(("version", "dialect"), [("4.99.3", V4_99), ("4.9.3", V4_9)])
def test_seed_document_packets(version: str, dialect: Dialect) -> None:
    texts = [show(message, 2, dialect) for message in dora()]
    assert texts == seed_bodies(version)


@given(
    st.binary(max_size=400),
    st.integers(min_value=0, max_value=3),
    st.sampled_from([V4_99, V4_9]),
)
def test_any_bytes_print_without_error(
    payload: bytes, verbosity: int, dialect: Dialect
) -> None:
    text = show(payload, verbosity, dialect)
    assert all(char in "\n\t" or " " <= char <= "~" for char in text)
