from rules.message.build import CLIENT, XID, MakeSeen, Run

from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.rules.base import Hit, Severity
from dhcpcheck.rules.message.bad_magic_cookie import RULE
from dhcpcheck.transactions.model import Seen


def payload(area: bytes) -> bytes:
    return Bootp(xid=XID, chaddr=CLIENT, raw_options=area, min_length=0).encode()


def test_fires_on_a_wrong_cookie(seen: MakeSeen, run: Run) -> None:
    message = seen(None, payload=payload(b"\x63\x53\x82\x63\x35\x01\x01\xff"), frame=9)
    assert run(RULE, message) == [
        Hit(
            "magic cookie 0x63538263 (expected 0x63825363)",
            frames=(9,),
            xid=XID,
            client=CLIENT,
            field="cookie",
        )
    ]


def test_a_cookie_cut_short_by_the_sender_is_an_error(seen: MakeSeen, run: Run) -> None:
    hits = run(RULE, seen(None, payload=payload(b"\x63\x82")))
    assert [(hit.message, hit.severity) for hit in hits] == [
        ("magic cookie cut short (2 of 4 bytes)", None)
    ]


def test_plain_bootp_without_cookie_is_info(seen: MakeSeen, run: Run) -> None:
    zeros = run(RULE, seen(None, payload=payload(bytes(64))))
    absent = run(RULE, seen(None, payload=payload(b"")))
    assert [(hit.message, hit.severity) for hit in zeros + absent] == [
        ("no magic cookie: vendor area starts with zeros (plain BOOTP)", Severity.INFO),
        ("no magic cookie: message ends after its 236-byte header", Severity.INFO),
    ]


def test_silent_when_the_capture_cut_the_cookie(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(1, snap=238)) == []


def test_silent_on_a_header_cut_short(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(None, payload=payload(b"")[:100])) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
