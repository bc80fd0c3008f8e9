from ipaddress import IPv4Address

from rules.message.build import CLIENT, SERVER, XID, MakeSeen, Run

from dhcpcheck.craft.bootp import MAGIC_COOKIE, Bootp
from dhcpcheck.craft.options import option_bytes
from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.option_truncated import RULE
from dhcpcheck.transactions.model import Seen

OFFER = option_bytes(53, b"\x02")
OVERLOAD_FILE = option_bytes(52, b"\x01")


def payload(area: bytes, file: bytes = b"") -> bytes:
    message = Bootp(
        op=2, xid=XID, chaddr=CLIENT, file=file, raw_options=area, min_length=0
    )
    return message.encode()


def test_fires_on_an_option_longer_than_the_message(seen: MakeSeen, run: Run) -> None:
    area = MAGIC_COOKIE + OFFER + b"\x0c\x09host"
    assert run(RULE, seen(2, payload=payload(area), frame=4)) == [
        Hit(
            "option 12 truncated: 9 bytes declared, 4 present",
            frames=(4,),
            xid=XID,
            client=CLIENT,
            server=IPv4Address(SERVER),
            option=12,
        )
    ]


def test_fires_on_a_missing_length_byte(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(2, payload=payload(MAGIC_COOKIE + OFFER + b"\x0f")))
    assert [hit.message for hit in hits] == ["option 15 truncated: length byte missing"]


def test_fires_on_an_option_overrunning_the_file_field(
    seen: MakeSeen, run: Run
) -> None:
    file = bytes(126) + b"\x03\x08"  # router, 8 bytes declared at the field's end
    area = MAGIC_COOKIE + OFFER + OVERLOAD_FILE + b"\xff"
    hits = run(RULE, seen(2, payload=payload(area, file=file)))
    assert [(hit.message, hit.option) for hit in hits] == [
        ("option 3 truncated in file: 8 bytes declared, 0 present", 3)
    ]


def test_silent_when_the_capture_cut_the_option(seen: MakeSeen, run: Run) -> None:
    cut = seen(2, options=((15, b"example.org"),), snap=250)  # 5 of its 11 bytes
    assert cut.message.options[-1].truncated
    assert run(RULE, cut) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
