from ipaddress import IPv4Address

from rules.message.build import CLIENT, LEASED, SERVER, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.subnet_inconsistent import RULE
from dhcpcheck.transactions.model import Seen

MASK_24 = (1, bytes([255, 255, 255, 0]))


def router(*last: int) -> tuple[int, bytes]:
    return 3, b"".join(bytes([192, 0, 2, octet]) for octet in last)


def said(hits: list[Hit]) -> list[tuple[str, Severity | None]]:
    return [(hit.message, hit.severity) for hit in hits]


def test_fires_on_a_router_off_the_subnet(seen: MakeSeen, run: Run) -> None:
    message = seen(5, options=(MASK_24, (3, bytes([198, 51, 100, 1]))),
                   yiaddr=LEASED, frame=4)  # fmt: skip
    assert run(RULE, message) == [
        Hit(
            "router 198.51.100.1 outside the client's subnet 192.0.2.0/24",
            frames=(4,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(SERVER),
            option=3,
        )
    ]


def test_special_addresses(seen: MakeSeen, run: Run) -> None:
    network = seen(2, options=(MASK_24, router(0, 107)), yiaddr="192.0.2.255")
    assert said(run(RULE, network)) == [
        ("yiaddr 192.0.2.255 is the broadcast address of 192.0.2.0/24", Severity.ERROR),
        ("router 192.0.2.0 is the network address of 192.0.2.0/24", None),
    ]
    own = seen(5, options=(MASK_24, router(107)), yiaddr=LEASED)
    assert said(run(RULE, own)) == [
        ("router 192.0.2.107 is the client's own address", Severity.ERROR)
    ]


def test_point_to_point_subnets_have_no_special_addresses(
    seen: MakeSeen, run: Run
) -> None:
    mask_31 = (1, bytes([255, 255, 255, 254]))
    assert run(RULE, seen(5, options=(mask_31, router(1)), yiaddr="192.0.2.0")) == []


def test_broadcast_address(seen: MakeSeen, run: Run) -> None:
    wrong = seen(5, options=(MASK_24, (28, bytes([192, 0, 2, 127]))), yiaddr=LEASED)
    limited = seen(5, options=(MASK_24, (28, bytes([255] * 4))), yiaddr=LEASED)
    assert [(hit.message, hit.option) for hit in run(RULE, wrong)] == [
        ("broadcast address 192.0.2.127 (expected 192.0.2.255)", 28)
    ]
    assert run(RULE, limited) == []


def test_inform_ack_is_judged_by_ciaddr(seen: MakeSeen, run: Run) -> None:
    message = seen(5, options=(MASK_24, router(1)), ciaddr="198.51.100.7")
    assert said(run(RULE, message)) == [
        ("router 192.0.2.1 outside the client's subnet 198.51.100.0/24", None)
    ]


def test_silent_without_a_usable_mask_or_address(seen: MakeSeen, run: Run) -> None:
    far = (3, bytes([10, 0, 0, 1]))
    assert run(RULE, seen(5, options=(far,), yiaddr=LEASED)) == []
    gappy = (1, bytes([255, 0, 255, 0]))
    assert run(RULE, seen(5, options=(gappy, far), yiaddr=LEASED)) == []
    assert run(RULE, seen(5, options=(MASK_24, far))) == []


def test_silent_on_client_messages(seen: MakeSeen, run: Run) -> None:
    message = seen(8, options=(MASK_24, (3, bytes([10, 0, 0, 1]))), ciaddr=LEASED)
    assert run(RULE, message) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
