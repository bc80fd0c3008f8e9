import pytest
from rules.message.build import CLIENT, LEASED, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.client_message_fields import RULE
from dhcpcheck.transactions.model import ClientState, Seen, request_state

SERVER_ID = (54, bytes([192, 0, 2, 1]))
REQUESTED = (50, bytes([192, 0, 2, 107]))
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def said(hits: list[Hit]) -> list[tuple[str, Severity | None]]:
    return [(hit.message, hit.severity) for hit in hits]


def test_fires_on_a_renewal_that_still_requests_an_address(
    seen: MakeSeen, run: Run
) -> None:
    message = seen(
        3, options=(REQUESTED,), ciaddr=LEASED, src=LEASED, dst="192.0.2.1", frame=5
    )
    assert run(RULE, message) == [
        Hit(
            "DHCPREQUEST (renewing) carries requested address (option 50)",
            frames=(5,),
            xid=XID,
            client=CLIENT,
            option=50,
            severity=ERROR,
        )
    ]


@pytest.mark.parametrize(
    ("options", "fields", "state"),
    [
        ((SERVER_ID, REQUESTED), {}, ClientState.SELECTING),
        ((REQUESTED,), {}, ClientState.INIT_REBOOT),
        ((), {"ciaddr": LEASED, "dst": "192.0.2.1"}, ClientState.RENEWING),
        ((), {"ciaddr": LEASED}, ClientState.REBINDING),
        ((), {"ciaddr": LEASED, "dst": "192.0.2.1", "giaddr": "10.0.0.1"},
         ClientState.REBINDING),
        ((SERVER_ID,), {"ciaddr": LEASED}, ClientState.UNCLEAR),
        ((), {}, ClientState.UNCLEAR),
    ],
)  # fmt: skip
def test_request_states(
    seen: MakeSeen,
    options: tuple[tuple[int, bytes], ...],
    fields: dict[str, str],
    state: ClientState,
) -> None:
    assert request_state(seen(3, options=options, **fields)) is state


def test_requests_that_fit_no_state(seen: MakeSeen, run: Run) -> None:
    both = seen(3, options=(SERVER_ID, REQUESTED), ciaddr=LEASED)
    neither = seen(3)
    assert said(run(RULE, both)) == [
        ("DHCPREQUEST fits no client state (server identifier and ciaddr "
         "192.0.2.107)", None),
    ]  # fmt: skip
    assert said(run(RULE, neither)) == [
        ("DHCPREQUEST fits no client state (no server identifier, requested "
         "address or ciaddr)", None),
    ]  # fmt: skip


def test_selecting_without_requested_address(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(3, options=(SERVER_ID,)))
    assert said(hits) == [
        ("DHCPREQUEST (selecting) lacks requested address (option 50)", ERROR)
    ]
    assert hits[0].field == "options"


def test_discover(seen: MakeSeen, run: Run) -> None:
    message = seen(1, options=(SERVER_ID, (56, b"hi")), ciaddr=LEASED)
    assert said(run(RULE, message)) == [
        ("DHCPDISCOVER carries server identifier (option 54)", ERROR),
        ("DHCPDISCOVER carries message (option 56)", INFO),
        ("DHCPDISCOVER ciaddr 192.0.2.107 (expected 0.0.0.0)", None),
    ]


def test_inform(seen: MakeSeen, run: Run) -> None:
    message = seen(8, options=(REQUESTED, (51, bytes(4))))
    assert said(run(RULE, message)) == [
        ("DHCPINFORM carries requested address (option 50)", ERROR),
        ("DHCPINFORM carries lease time (option 51)", ERROR),
        ("DHCPINFORM ciaddr 0.0.0.0 (expected the client's address)", None),
    ]


def test_decline(seen: MakeSeen, run: Run) -> None:
    message = seen(4, options=((55, b"\x01"), (12, b"host")), secs=3, flags=0x8000)
    assert said(run(RULE, message)) == [
        ("DHCPDECLINE lacks requested address (option 50)", ERROR),
        ("DHCPDECLINE lacks server identifier (option 54)", ERROR),
        ("DHCPDECLINE lacks message (option 56)", INFO),
        ("DHCPDECLINE carries parameter request list (option 55)", ERROR),
        ("DHCPDECLINE secs 3 (expected 0)", WARNING),
        ("DHCPDECLINE flags 0x8000 (expected 0)", WARNING),
        ("DHCPDECLINE carries option 12", INFO),
    ]


def test_release(seen: MakeSeen, run: Run) -> None:
    good = seen(7, options=(SERVER_ID, (61, b"\x01" + bytes(6)), (82, b"\x01\x00")),
                ciaddr=LEASED)  # fmt: skip
    bad = seen(7, options=(REQUESTED, (200, b"x")))
    assert run(RULE, good) == []
    assert said(run(RULE, bad)) == [
        ("DHCPRELEASE carries requested address (option 50)", ERROR),
        ("DHCPRELEASE lacks server identifier (option 54)", ERROR),
        ("DHCPRELEASE carries option 200", ERROR),
        ("DHCPRELEASE ciaddr 0.0.0.0 (expected the client's address)", None),
    ]


def test_header_fields(seen: MakeSeen, run: Run) -> None:
    message = seen(1, yiaddr=LEASED, hops=1, giaddr="10.0.0.1", flags=0x8001)
    assert said(run(RULE, message)) == [
        ("DHCPDISCOVER yiaddr 192.0.2.107 (expected 0.0.0.0)", ERROR),
        ("DHCPDISCOVER flags 0x8001 (reserved bits set)", WARNING),
        ("DHCPDISCOVER hops 1 (expected 0)", WARNING),
        ("DHCPDISCOVER giaddr 10.0.0.1 (expected 0.0.0.0)", WARNING),
    ]
    relayed = seen(1, hops=1, giaddr="10.0.0.1", sport=67)
    assert run(RULE, relayed) == []


def test_silent_on_server_messages_and_bootp(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(5, ciaddr=LEASED)) == run(RULE, seen(None)) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
