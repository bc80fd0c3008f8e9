"""no-ack: REQUESTs without ACK or NAK; INIT-REBOOT silence is only info."""

from ipaddress import IPv4Address

from rules.transaction.build import (
    ADDRESS,
    MT,
    SERVER,
    Messages,
    dora,
    found,
    one,
    requested,
    run,
    server_id,
    track,
)

from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.transaction.no_ack import RULE


def test_unanswered_selecting_requests(seen: Messages) -> None:
    messages = dora(seen)[:3]  # DISCOVER, OFFER, REQUEST
    messages.append(seen(4.0, MT.REQUEST, options=[server_id(), requested()], secs=4))
    txn = track([*messages, seen(100, MT.DISCOVER, xid=1)])[0]
    (hit,) = run(RULE, txn)
    assert hit.message == "no ack or nak to 2 selecting requests over 4.0 s"
    assert hit.frames == (3, 5)  # frame 4 is dora's ACK, left out
    assert hit.server == IPv4Address(SERVER)
    assert hit.severity is None  # the rule's warning


def test_init_reboot_silence_is_info_or_nothing(seen: Messages) -> None:
    txn = track([seen(0, MT.REQUEST, options=[requested()]), seen(70, 1, xid=1)])[0]
    (hit,) = run(RULE, txn)
    assert hit.message == (
        "no ack or nak to init-reboot request (servers without a record stay silent)"
    )
    assert hit.severity is Severity.INFO
    assert hit.server is None
    assert run(RULE, txn, {"init-reboot": False}) == []


def test_resends_after_an_answer_are_judged_on_their_own(seen: Messages) -> None:
    again = {"options": [server_id(), requested()]}
    messages = [*dora(seen), seen(4.0, MT.REQUEST, secs=4, **again)]
    assert run(RULE, one(messages)) == []  # one resend: maybe cut off
    messages.append(seen(8.0, MT.REQUEST, secs=8, **again))
    (hit,) = run(RULE, one(messages))
    assert hit.message == "no ack or nak to 2 selecting requests over 4.0 s"
    assert hit.frames == (5, 6)


def test_unanswered_renewal_names_the_server_it_was_sent_to(seen: Messages) -> None:
    renew = {"ciaddr": ADDRESS, "src": ADDRESS, "dst": SERVER}
    messages = [seen(0, MT.REQUEST, **renew), seen(60, MT.REQUEST, secs=60, **renew)]
    txn = track([*messages, seen(200, MT.DISCOVER, xid=1)])[0]
    (hit,) = run(RULE, txn)
    assert hit.message == "no ack or nak to 2 renewing requests over 60.0 s"
    assert hit.server == IPv4Address(SERVER)


def test_unanswered_rebinding_names_no_server(seen: Messages) -> None:
    rebind = {"ciaddr": ADDRESS, "src": ADDRESS}  # broadcast
    messages = [seen(0, MT.REQUEST, **rebind), seen(60, MT.REQUEST, secs=60, **rebind)]
    txn = track([*messages, seen(200, MT.DISCOVER, xid=1)])[0]
    (hit,) = run(RULE, txn)
    assert hit.message == "no ack or nak to 2 rebinding requests over 60.0 s"
    assert hit.server is None


def test_silent_when_answered_or_just_cut_off(seen: Messages) -> None:
    assert run(RULE, one(dora(seen))) == []
    nak = [seen(0, MT.REQUEST, options=[requested()]), seen(0.1, MT.NAK)]
    assert run(RULE, one(nak)) == []
    assert run(RULE, one([seen(0, MT.REQUEST, options=[requested()])])) == []


def test_samples() -> None:
    for sample in ("openstack-dora.pcap", "lab/renew.pcap"):
        assert found(sample, RULE.code) == []
    # the lab blocks the client's unicast renewals until it rebinds
    (renewals,) = found("lab/rebind.pcap", RULE.code)
    assert renewals.startswith("no ack or nak to ")
    assert "renewing requests over" in renewals
