"""requested-option-missing: option 55 against the ACK; required options."""

import pytest
from rules.transaction.build import (
    ADDRESS,
    MT,
    Messages,
    dora,
    found,
    one,
    run,
    server_id,
)

from dhcpcheck.craft.options import addresses, classless_routes, parameter_request
from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.transaction.requested_option_missing import RULE


def test_requested_and_absent_options_are_listed_in_request_order(
    seen: Messages,
) -> None:
    asked = [parameter_request(1, 42, 3, 6, 6, 119)]
    txn = one(dora(seen, request=asked, ack=[addresses(1, "255.255.255.0")]))
    (hit,) = run(RULE, txn)
    assert hit.message == "ack lacks requested options 42, 3, 6, 119 (4 of 5 requested)"
    assert (hit.frames, hit.severity, hit.option) == ((4, 3), None, None)
    assert RULE.severity is Severity.INFO


def test_never_sent_options_and_routes_replaced_by_121(seen: Messages) -> None:
    asked = [parameter_request(53, 55, 50, 57, 121, 3, 33, 0, 255)]
    routes = classless_routes(("0.0.0.0/0", "192.0.2.1"))
    assert run(RULE, one(dora(seen, request=asked, ack=[routes]))) == []
    (hit,) = run(RULE, one(dora(seen, request=asked)))
    assert hit.message == "ack lacks requested options 121, 3, 33 (3 of 9 requested)"


def test_lease_time_is_not_expected_in_an_ack_to_inform(seen: Messages) -> None:
    inform = seen(0, MT.INFORM, options=[parameter_request(51, 6)], ciaddr=ADDRESS)
    txn = one([inform, seen(0.01, MT.ACK, options=[server_id()], dst=ADDRESS)])
    (hit,) = run(RULE, txn)
    assert hit.message == "ack lacks requested option 6 (1 of 2 requested)"


def test_required_options_are_warnings_even_unrequested(seen: Messages) -> None:
    asked = [parameter_request(1, 3, 42)]
    txn = one(dora(seen, request=asked, ack=[addresses(1, "255.255.255.0")]))
    required, requested = run(RULE, txn, {"required": ["3", "domain-name-server"]})
    assert required.message == "ack lacks required options 3, 6"
    assert required.severity is Severity.WARNING
    assert requested.message == "ack lacks requested option 42 (1 of 3 requested)"
    assert requested.severity is None
    with pytest.raises(ValueError, match="no option 'gateway'"):
        run(RULE, txn, {"required": ["gateway"]})


def test_silent_without_a_request_list_or_when_all_given(seen: Messages) -> None:
    assert run(RULE, one(dora(seen))) == []
    asked = [parameter_request(1)]
    given = [addresses(1, "255.255.255.0")]
    assert run(RULE, one(dora(seen, request=asked, ack=given))) == []


def test_samples() -> None:
    # The seed server does not send what it cannot: time offset, NIS, NTP and
    # the domain search list. Legal, and exactly what this info rule reports.
    assert found("openstack-dora.pcap", RULE.code) == [
        "ack lacks requested options 2, 40, 41, 42, 119 (5 of 13 requested)"
    ]
