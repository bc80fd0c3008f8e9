"""Hypothesis strategies for hostile input: captures, frames and DHCP messages
that start well formed and are then damaged where damage does the most harm.

A blind byte string rarely gets past a magic number, so each strategy builds
a valid input with the crafting modules and mutates it: words overwritten
with lying lengths, bytes flipped, the tail cut or extended.

`fuzz_settings` is the budget: fixed and derandomized for CI, raised by
DHCPCHECK_FUZZ_EXAMPLES=N for a long run, and drawn anew on every run with
DHCPCHECK_FUZZ_RANDOM=1 (a failure prints the example to add to the corpus).
"""

import io
import os
import struct

from fuzz.targets import frames_input
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.writer import (
    ByteOrder,
    TimeResolution,
    write_pcap,
    write_pcapng,
)
from dhcpcheck.craft.bootp import MAGIC_COOKIE
from dhcpcheck.craft.fuzz import LINKS, random_frames
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet


def fuzz_settings(examples: int) -> settings:
    """``examples`` per run unless the environment asks for more; no deadline."""
    return settings(
        max_examples=int(os.environ.get("DHCPCHECK_FUZZ_EXAMPLES", examples)),
        derandomize=os.environ.get("DHCPCHECK_FUZZ_RANDOM") != "1",
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Values a length field is most often wrong with: zero, off by one around
# the limits the readers enforce, and the largest values of each width.
LIES = (
    0, 1, 3, 4, 7, 8, 11, 12, 15, 16, 236, 240, 255, 256, 1500, 65535, 65536,
    262144, 262145, (16 << 20) - 4, 16 << 20, (16 << 20) + 4,
    0x7FFFFFFF, 0x80000000, 0xFFFFFFFC, 0xFFFFFFFF,
)  # fmt: skip

# (kind, where as a fraction of the input, value)
Mutation = tuple[str, float, int]

mutations = st.lists(
    st.tuples(
        st.sampled_from(["byte", "word-le", "word-be", "cut", "insert"]),
        st.floats(0, 1, allow_nan=False),
        st.one_of(st.sampled_from(LIES), st.integers(0, 0xFFFFFFFF)),
    ),
    max_size=4,
)


def mutate(data: bytes, changes: list[Mutation]) -> bytes:
    """Apply ``changes`` in order; each lands at its fraction of the length."""
    buffer = bytearray(data)
    for kind, where, value in changes:
        at = int(where * len(buffer))
        if kind == "byte" and at < len(buffer):
            buffer[at] = value & 0xFF
        elif kind.startswith("word") and at + 4 <= len(buffer):
            order = "<" if kind == "word-le" else ">"
            buffer[at : at + 4] = struct.pack(order + "I", value)
        elif kind == "cut":
            del buffer[at:]
        elif kind == "insert":
            buffer[at:at] = value.to_bytes(4, "little")[: 1 + value % 4]
    return bytes(buffer)


@st.composite
def fuzz_frames(draw: st.DrawFn) -> list[Frame]:
    """A few random frames of one link type, a share of them malformed."""
    linktype = draw(st.sampled_from(list(LINKS)))
    return random_frames(draw(st.integers(0, 2**32)), draw(st.integers(1, 6)), linktype)


@st.composite
def captures(draw: st.DrawFn) -> bytes:
    """A pcap or pcapng file of random frames, then mutated."""
    frames = draw(fuzz_frames())
    stream = io.BytesIO()
    resolution = draw(st.sampled_from(list(TimeResolution)))
    order: ByteOrder = draw(st.sampled_from(["little", "big"]))
    snaplen = draw(st.sampled_from([0, 64, 262144, 0xFFFFFFFF]))
    if draw(st.booleans()):
        write_pcap(stream, frames, frames[0].linktype, resolution, order, snaplen)
    else:
        write_pcapng(stream, frames, resolution, order, snaplen)
    return mutate(stream.getvalue(), draw(mutations))


@st.composite
def option_areas(draw: st.DrawFn) -> bytes:
    """An options field whose lengths may lie, with overload and no END at times."""
    parts = [MAGIC_COOKIE, b"\x35\x01" + bytes([draw(st.integers(0, 20))])]
    if draw(st.booleans()):
        parts.append(b"\x34\x01" + bytes([draw(st.integers(0, 4))]))
    for _ in range(draw(st.integers(0, 8))):
        code = draw(st.integers(0, 255))
        value = draw(st.binary(max_size=40))
        length = draw(st.one_of(st.just(len(value)), st.integers(0, 255)))
        parts.append(bytes([code, length]) + value)
    if draw(st.booleans()):
        parts.append(b"\xff")
    return b"".join(parts)


@st.composite
def bootp_payloads(draw: st.DrawFn) -> bytes:
    """A BOOTP message: random fixed fields, hostile options, any length."""
    fixed = draw(st.binary(min_size=236, max_size=236))
    # sname and file stay option areas now and then, for overload to read.
    if draw(st.booleans()):
        fixed = fixed[:44] + draw(option_areas())[4:].ljust(192, b"\0")[:192]
    payload = fixed + draw(option_areas())
    return payload[: draw(st.integers(0, len(payload)))]


@st.composite
def dhcp_frames(draw: st.DrawFn) -> bytes:
    """`frames_of` input: Ethernet frames carrying `bootp_payloads`."""
    frames = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        udp = UDP(*draw(st.sampled_from([(68, 67), (67, 68), (67, 67)])))
        packet = udp_ipv4(draw(bootp_payloads()), IPv4(), udp)
        data = ethernet(packet, src=draw(st.binary(min_size=6, max_size=6)))
        frames.append(Frame(number, 0, 0, 1, data, len(data)))
    return mutate(frames_input(frames), draw(mutations))
