from ipaddress import IPv4Address

from rules.message.build import CLIENT, LEASED, SERVER, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.server_message_fields import RULE
from dhcpcheck.transactions.model import Seen

SERVER_ID = (54, IPv4Address(SERVER).packed)
LEASE = (51, (3600).to_bytes(4))


def said(hits: list[Hit]) -> list[tuple[str, Severity | None]]:
    return [(hit.message, hit.severity) for hit in hits]


def test_fires_on_an_offer_without_server_id_and_lease(
    seen: MakeSeen, run: Run
) -> None:
    message = seen(2, options=((1, bytes(4)),), yiaddr=LEASED, frame=2)
    common = {"frames": (2,), "xid": XID, "client": CLIENT, "field": "options"}
    assert run(RULE, message) == [
        Hit(
            "DHCPOFFER lacks server identifier (option 54)",
            server=IPv4Address(SERVER),
            severity=Severity.ERROR,
            **common,
        ),
        Hit(
            "DHCPOFFER lacks lease time (option 51)",
            server=IPv4Address(SERVER),
            severity=Severity.ERROR,
            **common,
        ),
    ]


def test_offer_fields(seen: MakeSeen, run: Run) -> None:
    message = seen(2, options=(SERVER_ID, LEASE), ciaddr="192.0.2.9")
    assert said(run(RULE, message)) == [
        ("DHCPOFFER ciaddr 192.0.2.9 (expected 0.0.0.0)", Severity.ERROR),
        ("DHCPOFFER yiaddr 0.0.0.0 (expected the offered address)", None),
    ]
    assert [hit.field for hit in run(RULE, message)] == ["ciaddr", "yiaddr"]


def test_offers_of_no_address_need_no_yiaddr(seen: MakeSeen, run: Run) -> None:
    v6_only = seen(2, options=(SERVER_ID, LEASE, (108, bytes(4))))
    autoconf_off = seen(2, options=(SERVER_ID, LEASE, (116, b"\x00")))
    assert run(RULE, v6_only) == run(RULE, autoconf_off) == []


def test_must_not_options_in_any_reply(seen: MakeSeen, run: Run) -> None:
    message = seen(
        5,
        options=(SERVER_ID, LEASE, (50, bytes(4)), (55, b"\x01"), (57, b"\x02\x40")),
        yiaddr=LEASED,
    )
    hits = run(RULE, message)
    assert said(hits) == [
        ("DHCPACK carries requested address (option 50)", Severity.ERROR),
        ("DHCPACK carries parameter request list (option 55)", Severity.ERROR),
        ("DHCPACK carries maximum message size (option 57)", Severity.ERROR),
    ]
    assert [hit.option for hit in hits] == [50, 55, 57]


def test_ack_address_and_lease_go_together(seen: MakeSeen, run: Run) -> None:
    no_lease = seen(5, options=(SERVER_ID,), yiaddr=LEASED)
    no_address = seen(5, options=(SERVER_ID, LEASE))
    inform_ack = seen(5, options=(SERVER_ID,), ciaddr="192.0.2.50")
    assert said(run(RULE, no_lease)) == [
        ("DHCPACK assigns 192.0.2.107 without lease time (option 51)", None)
    ]
    assert said(run(RULE, no_address)) == [
        ("DHCPACK with lease time (option 51) assigns yiaddr 0.0.0.0", None)
    ]
    assert run(RULE, inform_ack) == []


def test_nak(seen: MakeSeen, run: Run) -> None:
    message = seen(
        6,
        options=(SERVER_ID, LEASE, (3, bytes(4)), (61, b"\x01" + bytes(6))),
        yiaddr=LEASED,
        sname="server",
    )
    assert said(run(RULE, message)) == [
        ("DHCPNAK carries lease time (option 51)", Severity.ERROR),
        ("DHCPNAK lacks message (option 56)", Severity.INFO),
        ("DHCPNAK yiaddr 192.0.2.107 (expected 0.0.0.0)", Severity.ERROR),
        ("DHCPNAK sname not empty (unused in a DHCPNAK)", Severity.WARNING),
        ("DHCPNAK carries option 3", Severity.ERROR),
    ]


def test_a_good_nak(seen: MakeSeen, run: Run) -> None:
    message = seen(6, options=(SERVER_ID, (56, b"wrong network"), (82, b"\x01\x00")))
    assert run(RULE, message) == []


def test_copied_hops_and_secs_are_info_and_optional(seen: MakeSeen, run: Run) -> None:
    message = seen(5, options=(SERVER_ID, LEASE), yiaddr=LEASED, hops=1, secs=3)
    assert said(run(RULE, message)) == [
        ("DHCPACK hops 1 (expected 0)", Severity.INFO),
        ("DHCPACK secs 3 (expected 0)", Severity.INFO),
    ]
    assert run(RULE, message, {"hops-and-secs": False}) == []


def test_missing_options_of_a_cut_message_are_not_held_against_it(
    seen: MakeSeen, run: Run
) -> None:
    message = seen(
        2, options=((1, bytes(4)), SERVER_ID, LEASE), yiaddr=LEASED, snap=245
    )
    assert run(RULE, message) == []


def test_silent_on_client_messages(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(3, options=((50, bytes(4)),))) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
