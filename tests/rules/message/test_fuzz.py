"""Every message rule on random and malformed messages: no exception, ever."""

from ipaddress import IPv4Address
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.craft.fuzz import random_frames, random_message
from dhcpcheck.decode.bootp import decode_bootp
from dhcpcheck.decode.ip import Checksum, ChecksumStatus
from dhcpcheck.rules.base import Hit, Settings
from dhcpcheck.rules.message import RULES
from dhcpcheck.transactions.model import Seen
from dhcpcheck.transactions.observe import observe

DEFAULTS = [
    (rule, Settings({name: s.default for name, s in rule.settings.items()}))
    for rule in RULES
]
CHECKSUMS = st.one_of(
    st.none(),
    st.builds(Checksum, st.sampled_from(ChecksumStatus), st.integers(0, 0xFFFF)),
    st.builds(
        Checksum,
        st.just(ChecksumStatus.BAD),
        st.integers(0, 0xFFFF),
        st.integers(0, 0xFFFF),
    ),
)
ADDRESSES = st.builds(IPv4Address, st.integers(0, 2**32 - 1))
PORTS = st.sampled_from([67, 68, 4011])
MACS = st.one_of(st.none(), st.binary(min_size=6, max_size=6).map(lambda b: b.hex(":")))


def check_all(seen: Seen) -> None:
    for rule, defaults in DEFAULTS:
        for hit in rule.check(seen, defaults):
            assert isinstance(hit, Hit)
            assert hit.frames == (seen.frame,)
            assert hit.message and not hit.message.endswith((".", "\n"))


@st.composite
def seen_messages(draw: st.DrawFn, payload: bytes) -> Seen | None:
    wire = len(payload) + draw(st.sampled_from([0, 0, 1, 60]))
    message = decode_bootp(payload, wire)
    if message is None:
        return None
    return Seen(
        frame=draw(st.integers(1, 10**6)),
        time=0.0,
        ip_src=draw(ADDRESSES),
        ip_dst=draw(ADDRESSES),
        sport=draw(PORTS),
        dport=draw(PORTS),
        mac_src=draw(MACS),
        message=message,
        udp_checksum=draw(CHECKSUMS),
    )


@settings(max_examples=400)
@given(data=st.data(), payload=st.binary(min_size=0, max_size=700))
def test_random_bytes(data: st.DataObject, payload: bytes) -> None:
    seen = data.draw(seen_messages(payload))
    if seen is not None:
        check_all(seen)


@settings(max_examples=400)
@given(data=st.data(), seed=st.integers(0, 2**32 - 1), cut=st.integers(0, 700))
def test_fuzzed_messages(data: st.DataObject, seed: int, cut: int) -> None:
    payload = random_message(Random(seed), malformed=True).encode()
    for kept in (payload, payload[:cut]):
        seen = data.draw(seen_messages(kept))
        if seen is not None:
            check_all(seen)


@settings(max_examples=50)
@given(seed=st.integers(0, 2**32 - 1))
def test_fuzzed_frames(seed: int) -> None:
    for frame in random_frames(seed, 20, LinkType.ETHERNET):
        seen = observe(frame)
        if seen is not None:
            check_all(seen)
