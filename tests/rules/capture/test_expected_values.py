"""expected-option-values: configured option values against OFFERs and ACKs."""

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

from dhcpcheck.craft.options import addresses, text, uint16
from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.capture.expected_values import RULE
from dhcpcheck.transactions.model import Seen

MTU_1500 = uint16(OptionCode.INTERFACE_MTU, 1500)


def granted(build: Exchanges, count: int, *extra: tuple[int, bytes]) -> list[Seen]:
    messages = []
    for number in range(count):
        client = f"00:00:5e:00:53:{number:02x}"
        messages += build.dora(10.0 * number, client=client, extra=extra)
    return messages


def test_a_wrong_mtu_is_one_finding_with_a_count(build: Exchanges) -> None:
    messages = granted(build, 3, MTU_1500)
    (hit,) = capture_hits(RULE, messages, values={"mtu": 1450})
    assert (
        hit.message == "option 26 (MTU Interface) is 1500 in 6 replies (expected 1450)"
    )
    assert hit.frames == (messages[1].frame,)
    assert hit.option == OptionCode.INTERFACE_MTU
    assert hit.server == IPv4Address("192.0.2.1")


@pytest.mark.parametrize("name", ["mtu", "MTU", "interface-mtu", "interface_mtu", "26"])
def test_options_by_code_or_name(build: Exchanges, name: str) -> None:
    assert (
        len(capture_hits(RULE, granted(build, 1, MTU_1500), values={name: 1450})) == 1
    )
    assert capture_hits(RULE, granted(build, 1, MTU_1500), values={name: 1500}) == []


def test_addresses_lists_and_text(build: Exchanges) -> None:
    dns = addresses(OptionCode.DOMAIN_NAME_SERVER, "192.0.2.53", "192.0.2.54")
    domain = text(OptionCode.DOMAIN_NAME, "example.org")
    messages = granted(build, 1, dns, domain)
    same = {"6": ["192.0.2.53", "192.0.2.54"], "domain-name": "example.org"}
    assert capture_hits(RULE, messages, values=same) == []
    assert capture_hits(RULE, messages, values={"6": "192.0.2.53, 192.0.2.54"}) == []
    (hit,) = capture_hits(RULE, messages, values={"domain-name-server": "192.0.2.53"})
    assert hit.message == (
        "option 6 (Domain Server) is 192.0.2.53, 192.0.2.54 in 2 replies "
        "(expected 192.0.2.53)"
    )
    (hit,) = capture_hits(RULE, messages, values={"domain-name": "example.net"})
    assert hit.message == (
        "option 15 (Domain Name) is 'example.org' in 2 replies (expected 'example.net')"
    )


def test_silent_when_not_sent_or_not_configured(build: Exchanges) -> None:
    assert capture_hits(RULE, granted(build, 2), values={"mtu": 1450}) == []
    assert capture_hits(RULE, granted(build, 2, MTU_1500)) == []


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"gateway": "192.0.2.1"}, "values.gateway: no option 'gateway'"),
        ({"mtu": "big"}, "values.mtu: option 26 .* cannot be given as 'big'"),
        ({"mtu": 70000}, "values.mtu: option 26 .* cannot hold 70000"),
        ({"router": "192.0.2"}, "values.router: .*192.0.2"),
        ({"43": "00:01"}, "values.43: option 43 .* cannot be given"),
    ],
)
def test_bad_values_are_refused(values: dict[str, object], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        RULE.start(settings(RULE, values=values))


def test_the_seed_sample(tmp_path: Path) -> None:
    config = tmp_path / "dhcpcheck.toml"
    config.write_text("[rules.expected-option-values]\nvalues = { mtu = 1500 }\n")
    (finding,) = sample_findings("openstack-dora.pcap", RULE.code, config)
    assert finding.message == (
        "option 26 (MTU Interface) is 1450 in 2 replies (expected 1500)"
    )
    assert finding.frames == (2,)
    config.write_text("[rules.expected-option-values]\nvalues = { mtu = 1450 }\n")
    assert sample_findings("openstack-dora.pcap", RULE.code, config) == []


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
