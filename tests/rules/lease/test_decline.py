"""decline-seen: every DECLINE, with its address and the server that gave it."""

from ipaddress import IPv4Address

import pytest
from rules.lease.exchanges import (
    CLIENT,
    SERVER,
    Exchanges,
    client_hits,
    lab_samples,
    sample_findings,
)

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.lease.decline import RULE


def test_decline_names_address_server_and_grant(build: Exchanges) -> None:
    granted = build.dora(0.0)
    decline = build.decline(1.0)
    (hit,) = client_hits(RULE, [*granted, decline])
    assert hit.message == "declined 192.0.2.107 granted by 192.0.2.1 (address in use)"
    assert hit.frames == (decline.frame, granted[3].frame)
    assert hit.option == OptionCode.REQUESTED_IP
    assert (hit.client, hit.server, hit.xid) == (
        CLIENT,
        IPv4Address(SERVER),
        decline.message.xid,
    )


def test_the_client_message_is_quoted_escaped(build: Exchanges) -> None:
    decline = build.decline(1.0, message=b"arp reply from 0:1:2\x1b[31m")
    (hit,) = client_hits(RULE, [*build.dora(0.0), decline])
    assert hit.message == (
        "declined 192.0.2.107 granted by 192.0.2.1 "
        "(address in use, says 'arp reply from 0:1:2\\x1b[31m')"
    )


def test_without_the_grant_or_the_server_identifier(build: Exchanges) -> None:
    (hit,) = client_hits(RULE, [build.decline(1.0)])
    assert hit.frames == (1,)
    assert hit.server == IPv4Address(SERVER)
    (hit,) = client_hits(RULE, [*build.dora(0.0), build.decline(1.0, server=None)])
    assert hit.server == IPv4Address(SERVER)  # from the lease
    (hit,) = client_hits(RULE, [build.decline(1.0, address=None, server=None)])
    assert hit.message == "declined an address it did not name (address in use)"
    assert hit.server is None


def test_the_grant_is_the_latest_of_that_address(build: Exchanges) -> None:
    first = build.dora(0.0, address="192.0.2.150")
    second = build.dora(10.0, server="192.0.2.2")
    decline = build.decline(11.0, server=None)
    (hit,) = client_hits(RULE, [*first, *second, decline])
    assert hit.frames == (decline.frame, second[3].frame)
    assert hit.message.startswith("declined 192.0.2.107 granted by 192.0.2.2")


def test_silent_without_declines(build: Exchanges) -> None:
    assert client_hits(RULE, build.dora(0.0) + build.extend(1800.0)) == []


def test_the_lab_decline_sample() -> None:
    (finding,) = sample_findings("lab/decline.pcap", RULE.code)
    assert finding.message == (
        "declined 192.0.2.150 granted by 192.0.2.1 (address in use)"
    )
    decline, ack = finding.frames
    assert ack < decline


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples("decline.pcap")])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
