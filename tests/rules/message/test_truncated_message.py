from rules.message.build import CLIENT, XID, MakeSeen, Run

from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.rules.base import Hit
from dhcpcheck.rules.message.truncated_message import RULE
from dhcpcheck.transactions.model import Seen

SHORT = Bootp(xid=XID, chaddr=CLIENT, min_length=0).encode()


def test_fires_on_a_message_ending_inside_the_header(seen: MakeSeen, run: Run) -> None:
    message = seen(None, payload=SHORT[:200], frame=3)
    assert run(RULE, message) == [
        Hit(
            "message ends in its file field (200 bytes, fixed header 236)",
            frames=(3,),
            xid=XID,
            client=CLIENT,
            field="file",
        )
    ]


def test_names_the_field_the_message_ends_in(seen: MakeSeen, run: Run) -> None:
    assert [hit.field for hit in run(RULE, seen(None, payload=SHORT[:30]))] == [
        "chaddr"
    ]
    assert [hit.field for hit in run(RULE, seen(None, payload=SHORT[:8]))] == ["secs"]


def test_silent_when_only_the_capture_cut_the_header(seen: MakeSeen, run: Run) -> None:
    message = seen(1, snap=100)
    assert message.message.cut
    assert run(RULE, message) == []


def test_silent_on_a_whole_header(seen: MakeSeen, run: Run) -> None:
    assert run(RULE, seen(None, payload=SHORT[:236])) == []


def test_silent_on_the_seed_dora(dora: list[Seen], run: Run) -> None:
    assert [hit for message in dora for hit in run(RULE, message)] == []
