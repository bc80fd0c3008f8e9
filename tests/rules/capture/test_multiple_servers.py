"""multiple-servers: servers per segment, competing or not."""

from ipaddress import IPv4Address

import pytest
from rules.lease.exchanges import Exchanges, capture_hits, lab_samples, sample_findings

from dhcpcheck.craft.options import addresses
from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Severity
from dhcpcheck.rules.capture.multiple_servers import RULE
from dhcpcheck.transactions.model import Seen

OTHER = "192.0.2.2"


def rival_offer(build: Exchanges, dora: list[Seen], giaddr: str = "0.0.0.0") -> Seen:
    """A second server's OFFER in the same exchange."""
    return build.seen(
        dora[1].time + 0.01,
        MessageType.OFFER,
        options=(addresses(OptionCode.SERVER_ID, OTHER),),
        src=OTHER,
        xid=dora[0].message.xid,
        chaddr=dora[0].message.client_mac,
        yiaddr="192.0.2.200",
        giaddr=giaddr,
    )


def test_two_servers_answering_one_client_compete(build: Exchanges) -> None:
    dora = build.dora(0.2)
    rival = rival_offer(build, dora)
    (hit,) = capture_hits(RULE, [*dora, rival])
    assert hit.message == (
        "2 servers competing on the local segment "
        "(192.0.2.1: 2 replies, 192.0.2.2: 1 reply; expected 1)"
    )
    assert hit.severity is None
    assert hit.frames == (rival.frame, dora[1].frame)
    assert hit.server == IPv4Address(OTHER)


def test_servers_answering_different_clients_are_information(
    build: Exchanges,
) -> None:
    first = build.dora(0.2)
    second = build.dora(10.0, client="00:00:5e:00:53:11", server=OTHER)
    (hit,) = capture_hits(RULE, first + second)
    assert hit.message == (
        "2 servers answering on the local segment "
        "(192.0.2.1: 2 replies, 192.0.2.2: 2 replies; expected 1)"
    )
    assert hit.severity is Severity.INFO


def test_segments_are_counted_apart(build: Exchanges) -> None:
    local = build.dora(0.2)
    relayed = build.dora(
        20.0, client="00:00:5e:00:53:12", server=OTHER, giaddr="198.51.100.1"
    )
    assert capture_hits(RULE, local + relayed) == []
    relayed = build.dora(30.0, client="00:00:5e:00:53:12", giaddr="198.51.100.1")
    (hit,) = capture_hits(RULE, [*relayed, rival_offer(build, relayed, "198.51.100.1")])
    assert "on the segment of relay 198.51.100.1" in hit.message


def test_setting_allows_a_pair(build: Exchanges) -> None:
    dora = build.dora(0.2)
    assert capture_hits(RULE, [*dora, rival_offer(build, dora)], servers=2) == []


@pytest.mark.parametrize("name", ["two-servers.pcap", "two-servers-nak.pcap"])
def test_the_lab_two_servers_samples(name: str) -> None:
    (finding,) = sample_findings(f"lab/{name}", RULE.code)
    assert finding.message.startswith(
        "2 servers competing on the local segment (192.0.2.2: "
    )
    assert finding.severity is Severity.WARNING
    assert finding.server == IPv4Address("192.0.2.1")


@pytest.mark.parametrize(
    "name",
    ["openstack-dora.pcap", *lab_samples("two-servers.pcap", "two-servers-nak.pcap")],
)
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
