"""untrusted-server: replies from servers outside the trusted list."""

from ipaddress import IPv4Address
from pathlib import Path

import pytest
from rules.lease.exchanges import (
    Exchanges,
    capture_hits,
    lab_samples,
    sample_findings,
    settings,
)

from dhcpcheck.rules.capture.untrusted_server import RULE
from dhcpcheck.transactions.model import Seen

TRUSTED_MAC = "00:00:5e:00:53:01"
ROGUE_MAC = "00:00:5e:00:53:02"


def rogue(build: Exchanges, giaddr: str = "0.0.0.0") -> list[Seen]:
    return build.dora(
        0.2,
        client="00:00:5e:00:53:11",
        server="192.0.2.2",
        mac_src=ROGUE_MAC,
        giaddr=giaddr,
    )


def test_silent_without_a_trusted_list(build: Exchanges) -> None:
    assert capture_hits(RULE, rogue(build)) == []


def test_server_identifier_outside_the_trusted_addresses(build: Exchanges) -> None:
    messages = build.dora(0.2) + rogue(build)
    (hit,) = capture_hits(RULE, messages, trusted=["192.0.2.1"])
    assert hit.message == (
        "untrusted server 192.0.2.2 at 00:00:5e:00:53:02 (1 OFFER, 1 ACK)"
    )
    assert hit.frames == (messages[5].frame,)
    assert hit.server == IPv4Address("192.0.2.2")
    assert hit.xid == messages[5].message.xid


def test_trusted_identifier_from_an_untrusted_mac(build: Exchanges) -> None:
    spoofed = build.dora(0.2, mac_src=ROGUE_MAC)
    trusted = ["192.0.2.1", TRUSTED_MAC.upper().replace(":", "-")]
    (hit,) = capture_hits(RULE, spoofed, trusted=trusted)
    assert hit.message == (
        "untrusted server 192.0.2.1 at 00:00:5e:00:53:02 (1 OFFER, 1 ACK)"
    )
    genuine = build.dora(10.0, mac_src=TRUSTED_MAC)
    assert capture_hits(RULE, genuine, trusted=trusted) == []


def test_relayed_replies_are_not_held_to_a_mac(build: Exchanges) -> None:
    relayed = rogue(build, giaddr="198.51.100.1")
    assert capture_hits(RULE, relayed, trusted=[TRUSTED_MAC]) == []
    (hit,) = capture_hits(RULE, relayed, trusted=["192.0.2.1"])
    assert hit.message == "untrusted server 192.0.2.2 (1 OFFER, 1 ACK)"


def test_a_bad_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="'gateway' is neither an IPv4 address"):
        RULE.start(settings(RULE, trusted=["gateway"]))


@pytest.mark.parametrize(
    ("trusted", "found"),
    [
        ("'1.1.1.2'", []),
        ("'fa:16:3e:4c:de:f2'", []),
        (
            "'192.0.2.9'",
            ["untrusted server 1.1.1.2 at fa:16:3e:4c:de:f2 (1 OFFER, 1 ACK)"],
        ),
    ],
)
def test_the_seed_sample(tmp_path: Path, trusted: str, found: list[str]) -> None:
    config = tmp_path / "dhcpcheck.toml"
    config.write_text(f"[rules.untrusted-server]\ntrusted = [{trusted}]\n")
    findings = sample_findings("openstack-dora.pcap", RULE.code, config)
    assert [finding.message for finding in findings] == found
    assert sample_findings("openstack-dora.pcap", RULE.code) == []


def test_the_lab_two_servers_sample(tmp_path: Path) -> None:
    config = tmp_path / "dhcpcheck.toml"
    config.write_text("[rules.untrusted-server]\ntrusted = ['192.0.2.1']\n")
    (finding,) = sample_findings("lab/two-servers.pcap", RULE.code, config)
    assert finding.message == (
        "untrusted server 192.0.2.2 at 00:00:5e:00:53:02 (1 OFFER, 1 ACK)"
    )


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
