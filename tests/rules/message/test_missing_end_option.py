from ipaddress import IPv4Address

from rules.message.build import CLIENT, XID, MakeSeen, Run

from dhcpcheck.craft.bootp import MAGIC_COOKIE, Bootp
from dhcpcheck.craft.options import option_bytes
from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.missing_end_option import RULE
from dhcpcheck.transactions.model import Seen

OFFER = option_bytes(53, b"\x02")


def payload(area: bytes, sname: bytes = b"", file: bytes = b"") -> bytes:
    message = Bootp(
        op=2,
        xid=XID,
        chaddr=CLIENT,
        sname=sname,
        file=file,
        raw_options=area,
        min_length=0,
    )
    return message.encode()


def test_fires_on_an_options_field_without_end(seen: MakeSeen, run: Run) -> None:
    area = MAGIC_COOKIE + OFFER + option_bytes(54, bytes(4))
    assert run(RULE, seen(2, payload=payload(area), frame=2)) == [
        Hit(
            "no end option in the options field",
            frames=(2,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(0),
            field="options",
        )
    ]


def test_pads_alone_do_not_end_the_options(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(2, payload=payload(MAGIC_COOKIE + OFFER + bytes(60))))
    assert [hit.field for hit in hits] == ["options"]


def test_fires_on_overloaded_fields_without_end(seen: MakeSeen, run: Run) -> None:
    area = MAGIC_COOKIE + OFFER + option_bytes(52, b"\x03") + b"\xff"
    sname = option_bytes(12, b"host")  # and then pads, no end
    file = option_bytes(15, b"example.org") + b"\xff"
    hits = run(RULE, seen(2, payload=payload(area, sname=sname, file=file)))
    assert [(hit.message, hit.field) for hit in hits] == [
        ("no end option in the sname field", "sname")
    ]


def test_silent_when_the_capture_cut_the_options(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(2, options=((15, b"example.org"),), snap=256)) == []


def test_silent_on_an_option_cut_short(seen: MakeSeen, run: Run) -> None:
    area = MAGIC_COOKIE + OFFER + b"\x0c\x09host"  # option-truncated's finding
    assert run(RULE, seen(2, payload=payload(area))) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
