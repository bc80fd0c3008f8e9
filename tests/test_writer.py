import os
import struct
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest

from dhcpcheck.capture import read_stream
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import (
    ByteOrder,
    TimeResolution,
    write_pcap,
    write_pcapng,
)
from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import udp_ipv4
from dhcpcheck.craft.link import ethernet, linux_sll

MAC = "00:11:22:33:44:55"
PACKET = udp_ipv4(Bootp(chaddr=MAC, min_length=0).encode())  # 269 bytes, odd
FRAME = ethernet(PACKET, src=MAC)
STAMPS = [1_623_162_713_831_654_321, 1_623_162_714_000_000_999]
FRAMES = [
    captured(number, stamp, LinkType.ETHERNET, FRAME)
    for number, stamp in enumerate(STAMPS, start=1)
]
ORDERS: list[ByteOrder] = ["little", "big"]
STRUCT_ORDER = {"little": "<", "big": ">"}


def tcpdump(path: Path, *flags: str) -> str:
    command = ["tcpdump", "-r", str(path), "-n", *flags]
    env = {**os.environ, "TZ": "UTC"}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def written(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "out"
    path.write_bytes(data)
    return path


def pcap(
    frames: list[Frame],
    resolution: TimeResolution = TimeResolution.MICRO,
    byteorder: ByteOrder = "little",
) -> bytes:
    stream = BytesIO()
    write_pcap(stream, frames, LinkType.ETHERNET, resolution, byteorder)
    return stream.getvalue()


def pcapng(
    frames: list[Frame],
    resolution: TimeResolution = TimeResolution.MICRO,
    byteorder: ByteOrder = "little",
) -> bytes:
    stream = BytesIO()
    write_pcapng(stream, frames, resolution, byteorder)
    return stream.getvalue()


Writer = Callable[[list[Frame], TimeResolution, ByteOrder], bytes]


@pytest.mark.parametrize("byteorder", ORDERS)
@pytest.mark.parametrize(
    ("resolution", "stamps"),
    [
        (TimeResolution.MICRO, ["1623162713.831654000", "1623162714.000000000"]),
        (TimeResolution.NANO, ["1623162713.831654321", "1623162714.000000999"]),
    ],
)
@pytest.mark.parametrize("write", [pcap, pcapng])
def test_tcpdump_reads_stamps_in_every_variant(
    tmp_path: Path,
    write: Writer,
    resolution: TimeResolution,
    byteorder: ByteOrder,
    stamps: list[str],
) -> None:
    data = write(FRAMES, resolution, byteorder)
    text = tcpdump(written(tmp_path, data), "-tt", "--time-stamp-precision=nano")
    lines = text.splitlines()
    assert [line.split(" IP 0.0.0.0.68 > ")[0] for line in lines] == stamps
    assert all("BOOTP/DHCP, Request from" in line for line in lines)


@pytest.mark.parametrize(
    ("resolution", "byteorder", "magic"),
    [
        (TimeResolution.MICRO, "little", "d4c3b2a1"),
        (TimeResolution.MICRO, "big", "a1b2c3d4"),
        (TimeResolution.NANO, "little", "4d3cb2a1"),
        (TimeResolution.NANO, "big", "a1b23c4d"),
    ],
)
def test_pcap_header_and_record_bytes(
    resolution: TimeResolution, byteorder: ByteOrder, magic: str
) -> None:
    stream = BytesIO()
    write_pcap(stream, FRAMES[:1], LinkType.ETHERNET, resolution, byteorder, 1500)
    data = stream.getvalue()
    order = STRUCT_ORDER[byteorder]
    assert data[:4] == bytes.fromhex(magic)
    assert struct.unpack(order + "HHiIII", data[4:24]) == (2, 4, 0, 0, 1500, 1)
    sec, frac, caplen, wirelen = struct.unpack(order + "IIII", data[24:40])
    assert sec == 1_623_162_713
    assert frac == (831_654 if resolution == TimeResolution.MICRO else 831_654_321)
    assert caplen == wirelen == len(FRAME)
    assert data[40:] == FRAME


def test_cut_frame_keeps_wire_length(tmp_path: Path) -> None:
    cut = captured(1, 0, LinkType.ETHERNET, FRAME, snaplen=100)
    for data in (pcap([cut]), pcapng([cut])):
        text = tcpdump(written(tmp_path, data), "-e", "-v")
        assert f"length {len(FRAME)}: " in text
        assert "[|bootp]" in text


def test_pcap_refuses_a_second_link_type() -> None:
    cooked = captured(1, 0, LinkType.LINUX_SLL, linux_sll(PACKET, MAC))
    with pytest.raises(ValueError, match="pcap holds one link type"):
        write_pcap(BytesIO(), [FRAMES[0], cooked], LinkType.ETHERNET)


def blocks(data: bytes, order: str) -> Iterator[tuple[int, bytes]]:
    """Walk pcapng blocks, checking that both length fields agree."""
    while data:
        block_type, length = struct.unpack(order + "II", data[:8])
        assert length % 4 == 0
        assert struct.unpack(order + "I", data[length - 4 : length])[0] == length
        yield block_type, data[8 : length - 4]
        data = data[length:]


@pytest.mark.parametrize("byteorder", ORDERS)
def test_pcapng_has_one_interface_per_link_type(byteorder: ByteOrder) -> None:
    cooked = captured(3, 0, LinkType.LINUX_SLL, linux_sll(PACKET, MAC))
    data = pcapng([FRAMES[0], cooked, FRAMES[1]], byteorder=byteorder)
    order = STRUCT_ORDER[byteorder]
    found = list(blocks(data, order))
    assert [block_type for block_type, _ in found] == [0x0A0D0D0A, 1, 1, 6, 6, 6]
    assert found[0][1] == struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1)
    assert [struct.unpack(order + "H", body[:2])[0] for _, body in found[1:3]] == [
        1,
        113,
    ]
    interfaces = [struct.unpack(order + "I", body[:4])[0] for _, body in found[3:]]
    assert interfaces == [0, 1, 0]
    caplen = struct.unpack(order + "I", found[3][1][12:16])[0]
    assert found[3][1][20 : 20 + caplen] == FRAME


@pytest.mark.parametrize(
    ("resolution", "options"),
    [
        (TimeResolution.MICRO, b""),
        (TimeResolution.NANO, bytes.fromhex("0900 0100 09000000 0000 0000")),
    ],
)
def test_pcapng_states_resolution_only_when_not_micro(
    resolution: TimeResolution, options: bytes
) -> None:
    found = list(blocks(pcapng(FRAMES, resolution), "<"))
    assert found[1][1][8:] == options


@pytest.mark.parametrize("byteorder", ORDERS)
@pytest.mark.parametrize("resolution", list(TimeResolution))
@pytest.mark.parametrize("write", [pcap, pcapng])
def test_capture_reader_gets_the_frames_back(
    write: Writer, resolution: TimeResolution, byteorder: ByteOrder
) -> None:
    cut = captured(3, STAMPS[0], LinkType.ETHERNET, FRAME, snaplen=60)
    frames = [*FRAMES, cut]
    back = list(read_stream(BytesIO(write(frames, resolution, byteorder))))
    if resolution == TimeResolution.MICRO:
        frames = [
            replace(frame, ts_nsec=frame.ts_nsec // 1000 * 1000) for frame in frames
        ]
    assert back == frames


def test_capture_reader_gets_every_interface_back() -> None:
    cooked = captured(2, STAMPS[1], LinkType.LINUX_SLL, linux_sll(PACKET, MAC))
    frames = [FRAMES[0], cooked, replace(FRAMES[1], number=3)]
    back = list(read_stream(BytesIO(pcapng(frames, TimeResolution.NANO))))
    assert back == frames
