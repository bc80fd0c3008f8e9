from rules.message.build import CLIENT, XID, MakeSeen, Run

from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.bad_hlen import RULE
from dhcpcheck.transactions.model import Seen


def test_fires_on_hlen_beyond_chaddr(seen: MakeSeen, run: Run) -> None:
    message = seen(1, hlen=20, chaddr=bytes(range(16)), frame=2)
    assert run(RULE, message) == [
        Hit(
            "hlen 20 (chaddr holds at most 16)",
            frames=(2,),
            xid=XID,
            client=bytes(range(16)).hex(":"),
            field="hlen",
        )
    ]


def test_ethernet_needs_six_bytes(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(1, hlen=8))
    assert [(hit.message, hit.severity) for hit in hits] == [
        ("hlen 8 for ethernet (expected 6)", Severity.WARNING)
    ]


def test_no_hardware_address_outside_infiniband(seen: MakeSeen, run: Run) -> None:
    token_ring = run(RULE, seen(1, htype=6, hlen=0, chaddr=b""))
    infiniband = run(RULE, seen(1, htype=32, hlen=0, chaddr=b""))
    assert [(hit.message, hit.client) for hit in token_ring] == [
        ("hlen 0 for htype 6 (no hardware address)", None)
    ]
    assert infiniband == []


def test_silent_on_other_hardware_types(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(1, htype=24, hlen=8, chaddr=CLIENT + ":00:00")) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
