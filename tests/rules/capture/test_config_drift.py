"""server-config-drift: one server, one subnet, several values of an option."""

from ipaddress import IPv4Address

import pytest
from rules.lease.exchanges import (
    Exchanges,
    capture_hits,
    lab_samples,
    sample_findings,
    settings,
)

from dhcpcheck.craft.options import Option, addresses, uint16
from dhcpcheck.decode.options import OptionCode
from dhcpcheck.rules.capture.config_drift import RULE
from dhcpcheck.transactions.model import Seen


def replies(
    build: Exchanges, number: int, address: str, *extra: Option, mask: str = "/24"
) -> list[Seen]:
    """A DORA for client `number` given `address`, its mask and `extra`."""
    netmask = {"/24": "255.255.255.0", "/23": "255.255.254.0"}[mask]
    options = (addresses(OptionCode.SUBNET_MASK, netmask), *extra)
    client = f"00:00:5e:00:53:{number:02x}"
    return build.dora(10.0 * number, client=client, address=address, extra=options)


def router(address: str) -> Option:
    return addresses(OptionCode.ROUTER, address)


def test_two_routers_in_one_subnet(build: Exchanges) -> None:
    usual = replies(build, 1, "192.0.2.10", router("192.0.2.254"))
    usual += replies(build, 2, "192.0.2.11", router("192.0.2.254"))
    odd = replies(build, 3, "192.0.2.12", router("192.0.2.253"))
    (hit,) = capture_hits(RULE, usual + odd)
    assert hit.message == (
        "192.0.2.1 sends 2 values of option 3 (Router) in 192.0.2.0/24 "
        "(192.0.2.254 in 4 replies, 192.0.2.253 in 2 replies)"
    )
    assert hit.frames == (odd[1].frame, usual[1].frame)
    assert hit.option == OptionCode.ROUTER
    assert hit.server == IPv4Address("192.0.2.1")


def test_overlapping_subnets_catch_a_mask_that_differs(build: Exchanges) -> None:
    messages = replies(build, 1, "192.0.2.10") + replies(
        build, 2, "192.0.3.10", mask="/23"
    )
    (hit,) = capture_hits(RULE, messages)
    assert hit.message == (
        "192.0.2.1 sends 2 values of option 1 (Subnet Mask) in 192.0.2.0/23 "
        "(255.255.255.0 in 2 replies, 255.255.254.0 in 2 replies)"
    )


def test_silent_across_subnets_servers_and_missing_options(build: Exchanges) -> None:
    messages = replies(build, 1, "192.0.2.10", router("192.0.2.254"))
    messages += replies(build, 2, "198.51.100.10", router("198.51.100.1"))
    messages += replies(build, 3, "192.0.2.11")  # asked for no router
    messages += build.dora(
        40.0,
        client="00:00:5e:00:53:04",
        server="192.0.2.2",
        extra=(addresses(OptionCode.SUBNET_MASK, "255.255.255.0"), router("192.0.2.9")),
    )
    messages += build.dora(
        50.0, client="00:00:5e:00:53:05", extra=(router("192.0.2.7"),)
    )
    assert capture_hits(RULE, messages) == []


def test_options_setting(build: Exchanges) -> None:
    messages = replies(build, 1, "192.0.2.10", uint16(OptionCode.INTERFACE_MTU, 1500))
    messages += replies(build, 2, "192.0.2.11", uint16(OptionCode.INTERFACE_MTU, 1450))
    (hit,) = capture_hits(RULE, messages)
    assert hit.message.startswith("192.0.2.1 sends 2 values of option 26 (MTU")
    assert "1500 in 2 replies, 1450 in 2 replies" in hit.message
    assert capture_hits(RULE, messages, options=["router"]) == []
    assert len(capture_hits(RULE, messages, options=["26"])) == 1
    assert len(capture_hits(RULE, messages, options=["mtu"])) == 1


def test_an_unknown_option_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no option 'gateway'"):
        RULE.start(settings(RULE, options=["gateway"]))


@pytest.mark.parametrize("name", ["openstack-dora.pcap", *lab_samples()])
def test_silent_on_the_samples(name: str) -> None:
    assert sample_findings(name, RULE.code) == []
