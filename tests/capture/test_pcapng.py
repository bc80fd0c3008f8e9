import io
import struct
from pathlib import Path

import pytest
from capture.capfiles import (
    FRAME,
    Trickle,
    block,
    epb,
    idb,
    obsolete_pb,
    option,
    read_all,
    read_ok,
    shb,
    spb,
    tsoffset,
    tsresol,
)

from dhcpcheck.capture import CaptureError, Frame, LinkType, read_frames, read_stream
from dhcpcheck.capture.chunks import Chunks
from dhcpcheck.capture.pcapng import read_pcapng

DATA = Path(__file__).parent.parent / "data" / "capture"
T0 = 1700000000


def test_sections_in_either_byte_order_follow_each_other() -> None:
    data = (
        shb("<")
        + idb("<", LinkType.ETHERNET)
        + epb("<", 0, T0 * 10**6 + 1, FRAME)
        + shb(">")
        + idb(">", LinkType.RAW, options=tsresol(">", 9))
        + epb(">", 0, T0 * 10**9 + 2, b"\x45", wirelen=20)
    )
    assert read_ok(data) == [
        Frame(1, T0, 1000, LinkType.ETHERNET, FRAME, 60),
        Frame(2, T0, 2, LinkType.RAW, b"\x45", 20),
    ]


def test_interfaces_do_not_outlive_their_section() -> None:
    first = shb("<") + idb("<") + idb("<") + epb("<", 1, 0, FRAME)
    second = shb("<") + idb("<") + epb("<", 1, 0, FRAME)
    frames, error = read_all(first + second)
    assert len(frames) == 1
    assert str(error) == (
        f"block at offset {len(first) + 48}: packet on interface 1; the section has 1"
    )


def test_each_interface_has_its_link_type_resolution_and_offset() -> None:
    o = "<"
    data = (
        shb(o)
        + idb(o, LinkType.ETHERNET, options=tsoffset(o, -3600))
        + idb(o, LinkType.RAW, options=tsresol(o, 9))
        + idb(o, LinkType.LINUX_SLL, options=tsresol(o, 0x80 | 20))
        + idb(o, LinkType.NULL, options=tsresol(o, 12) + tsoffset(o, 10))
        + idb(o, 147, options=tsresol(o, 0))
        + epb(o, 0, T0 * 10**6 + 999999, FRAME)
        + epb(o, 1, T0 * 10**9 + 123456789, FRAME)
        + epb(o, 2, (T0 << 20) + 3, FRAME)
        + epb(o, 3, 5 * 10**12 + 123456789999, FRAME)  # 64 bits of ps: 213 days
        + epb(o, 4, T0, FRAME)
    )
    assert [(f.linktype, f.ts_sec, f.ts_nsec) for f in read_ok(data)] == [
        (LinkType.ETHERNET, T0 - 3600, 999999000),
        (LinkType.RAW, T0, 123456789),
        (LinkType.LINUX_SLL, T0, 2861),  # 3 / 2**20 s = 2861.02 ns, truncated
        (LinkType.NULL, 5 + 10, 123456789),  # picoseconds truncated
        (147, T0, 0),
    ]


def test_timestamp_uses_all_64_bits() -> None:
    data = shb("<") + idb("<", options=tsresol("<", 9)) + epb("<", 0, 2**64 - 1, FRAME)
    frame = read_ok(data)[0]
    assert (frame.ts_sec, frame.ts_nsec) == divmod(2**64 - 1, 10**9)


def test_simple_packet_belongs_to_interface_0_and_is_cut_to_its_snaplen() -> None:
    head = shb(">") + idb(">", LinkType.ETHERNET, 40, tsoffset(">", 1000))
    frames = read_ok(head + spb(">", FRAME) + spb(">", b"abcde"))
    assert frames == [
        Frame(1, 1000, 0, LinkType.ETHERNET, FRAME[:40], 60),
        Frame(2, 1000, 0, LinkType.ETHERNET, b"abcde", 5),
    ]


def test_simple_packet_holds_no_more_than_its_block() -> None:
    data = shb("<") + idb("<") + spb("<", b"abcdefgh", wirelen=1000)
    assert read_ok(data)[0].data == b"abcdefgh"


def test_select_sees_each_kind_of_packet_block_where_its_data_lies() -> None:
    data = shb("<") + idb("<", LinkType.ETHERNET, 40) + idb("<", LinkType.RAW)
    data += spb("<", FRAME) + epb("<", 1, 0, b"\x45") + obsolete_pb("<", 0, 0, b"ab")
    shown: list[tuple[bytes, int]] = []

    def refuse(buffer: bytes, start: int, stop: int, linktype: int) -> bool:
        shown.append((buffer[start:stop], linktype))
        return False

    assert list(read_stream(io.BytesIO(data), refuse)) == []
    assert shown == [
        (FRAME[:40], LinkType.ETHERNET),
        (b"\x45", LinkType.RAW),
        (b"ab", LinkType.ETHERNET),
    ]


def test_obsolete_packet_block_reads_like_an_enhanced_one() -> None:
    data = (
        shb("<") + idb("<") + idb("<", LinkType.RAW) + obsolete_pb("<", 1, 5, b"\x45")
    )
    assert read_ok(data) == [Frame(1, 0, 5000, LinkType.RAW, b"\x45", 1)]


def test_other_blocks_are_skipped() -> None:
    data = (
        shb("<")
        + block("<", 4, b"\x01\x00\x08\x00" + bytes(8))  # name resolution
        + idb("<")
        + block("<", 5, bytes(12))  # interface statistics
        + block("<", 0x0A, bytes(20))  # decryption secrets
        + block("<", 0x40000BAD, b"custom")
        + epb("<", 0, 0, FRAME)
    )
    assert [frame.data for frame in read_ok(data)] == [FRAME]


def test_section_of_another_version_is_skipped_to_the_next_section() -> None:
    unknown = shb(">", (2, 0)) + block(">", 6, b"not an EPB") + idb(">")
    data = shb("<") + idb("<") + unknown + spb(">", b"no interface")
    data += shb("<", (1, 2)) + idb("<", LinkType.RAW) + epb("<", 0, 0, b"\x45")
    assert read_ok(data) == [Frame(1, 0, 0, LinkType.RAW, b"\x45", 1)]


def test_section_header_alone_is_an_empty_capture() -> None:
    assert read_ok(shb(">")) == []


HEAD = shb("<") + idb("<")
AT = len(HEAD)  # offset of the first block after the interface


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        (block("<", 6, bytes(20), length=30), f"block at offset {AT}: bad length 30"),
        (block("<", 99, b"", length=8), f"block at offset {AT}: bad length 8"),
        (block("<", 6, bytes(16)), f"block at offset {AT}: bad length 28 for type 0x6"),
        (
            struct.pack("<III", 6, 17 << 20, 0),
            f"block at offset {AT}: bad length 17825792 for type 0x6",
        ),
        (
            epb("<", 0, 0, FRAME)[:-4] + struct.pack("<I", 96),
            f"block at offset {AT}: trailing length 96 differs from 92",
        ),
        (
            block("<", 6, struct.pack("<IIIII", 0, 0, 0, 61, 61) + FRAME),
            f"block at offset {AT}: captured length 61 runs past the block (60)",
        ),
        (
            block("<", 0x0A0D0D0A, b"\x01\x02\x03\x04" + bytes(12)),
            f"block at offset {AT}: bad byte-order magic 0x01020304",
        ),
        (
            block("<", 1, struct.pack("<HHI", 1, 0, 0) + struct.pack("<HH", 9, 8)),
            f"block at offset {AT}: option 9 runs past its block",
        ),
        (
            idb("<", options=option("<", 9, b"\x06\x06")),
            f"block at offset {AT}: if_tsresol has 2 bytes, not 1",
        ),
        (
            idb("<", options=option("<", 14, bytes(4))),
            f"block at offset {AT}: if_tsoffset has 4 bytes, not 8",
        ),
        (epb("<", 0, 0, FRAME)[:50], f"truncated block at offset {AT}: 50 of 92 bytes"),
        (
            epb("<", 0, 0, FRAME)[:5],
            f"truncated block at offset {AT}: 5 of at least 12",
        ),
    ],
)
def test_damage_is_described(tail: bytes, message: str) -> None:
    frames, error = read_all(HEAD + tail)
    assert frames == []
    assert str(error).startswith(message)


def test_every_truncation_gives_the_frames_before_it_and_a_clean_error() -> None:
    blocks = [
        shb(">"),
        idb(">", LinkType.ETHERNET, 30, tsresol(">", 9)),
        epb(">", 0, 7, FRAME),
        spb(">", b"abc"),
        block(">", 5, bytes(12)),
        shb("<"),
        idb("<", LinkType.RAW),
        obsolete_pb("<", 0, 9, b"\x45\x00"),
    ]
    data = b""
    ends = {}
    packets = 0
    for index, piece in enumerate(blocks):
        data += piece
        packets += index in (2, 3, 7)
        ends[len(data)] = packets
    whole = read_ok(data)
    assert len(whole) == 3
    for size in range(len(data)):
        frames, error = read_all(data[:size])
        complete = max((count for end, count in ends.items() if end <= size), default=0)
        assert frames == whole[:complete]
        assert (error is None) == (size in ends), size


@pytest.mark.parametrize("step", [1, 5, 64])
def test_blocks_split_across_many_small_reads(step: int) -> None:
    o = ">"
    data = shb(o) + idb(o) + b"".join(epb(o, 0, n, FRAME[:n]) for n in range(30))
    assert list(read_stream(Trickle(data, step))) == read_ok(data)


def test_reader_refuses_a_stream_that_does_not_start_with_a_section() -> None:
    data = idb("<") + epb("<", 0, 0, FRAME)
    with pytest.raises(CaptureError, match="no section header first"):
        list(read_pcapng(Chunks(io.BytesIO(data)), b""))


def test_hadrielk_sections_of_both_byte_orders_with_every_block_type() -> None:
    # pcapng-test-generator difficult/test202 (MIT): tcpdump refuses it, as
    # its interfaces differ in link type; capinfos counts 8 packets.
    frames = list(read_frames(str(DATA / "hadrielk-test202.pcapng")))
    assert [f.linktype for f in frames] == [1, 1, 0, 1, 1, 1, 1, 0]
    assert [(f.ts_sec, f.ts_nsec) for f in frames if f.ts_sec == 0] == [(0, 0)] * 2
    assert [len(f.data) for f in frames] == [96, 96, 168, 128, 128, 128, 128, 168]
    assert frames[0].ts_sec == 1340954905


def test_gopacket_resolution_of_two_to_the_minus_8() -> None:
    # gopacket be/test902 (BSD-3-Clause): tcpdump prints 12:00:00.195312.
    (frame,) = read_frames(str(DATA / "gopacket-be-test902.pcapng"))
    assert (frame.ts_sec, frame.ts_nsec) == (1519128000, 195312500)


def test_gopacket_section_of_unknown_version_is_skipped() -> None:
    # gopacket be/test901 (BSD-3-Clause): three sections, the middle one of
    # version 2.0; tcpdump stops there after one packet.
    frames = list(read_frames(str(DATA / "gopacket-be-test901.pcapng")))
    assert [frame.number for frame in frames] == [1, 2]
