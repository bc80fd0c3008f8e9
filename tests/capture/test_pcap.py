import pytest
from capture.capfiles import (
    FRAME,
    MODIFIED_MAGIC,
    NSEC_MAGIC,
    USEC_MAGIC,
    Trickle,
    pcap_header,
    pcap_record,
    read_all,
    read_error,
    read_ok,
)

from dhcpcheck.capture import Frame, LinkType, read_stream
from dhcpcheck.capture.chunks import CHUNK_SIZE


@pytest.mark.parametrize("order", ["<", ">"])
@pytest.mark.parametrize(
    ("magic", "ticks", "ts_nsec"),
    [(USEC_MAGIC, 123456, 123456000), (NSEC_MAGIC, 123456789, 123456789)],
)
def test_reads_both_byte_orders_and_resolutions(
    order: str, magic: int, ticks: int, ts_nsec: int
) -> None:
    data = (
        pcap_header(order, magic)
        + pcap_record(1700000000, ticks, FRAME, order, wirelen=1514)
        + pcap_record(1700000001, 0, b"\x01\x02", order)
    )
    assert read_ok(data) == [
        Frame(1, 1700000000, ts_nsec, LinkType.ETHERNET, FRAME, 1514),
        Frame(2, 1700000001, 0, LinkType.ETHERNET, b"\x01\x02", 2),
    ]


def test_modified_format_skips_the_longer_record_header() -> None:
    extra = bytes(range(8))  # interface index, protocol, packet type, padding
    data = pcap_header(">", MODIFIED_MAGIC) + pcap_record(5, 7, FRAME, ">", extra=extra)
    assert read_ok(data) == [Frame(1, 5, 7000, LinkType.ETHERNET, FRAME, 60)]


def test_fcs_bits_above_the_link_type_are_ignored() -> None:
    field = LinkType.LINUX_SLL | 0x04000000 | 2 << 28  # F bit, FCS length 2
    frames = read_ok(pcap_header(linktype=field) + pcap_record(0, 0, FRAME))
    assert frames[0].linktype is LinkType.LINUX_SLL


def test_unlisted_link_type_reads_as_plain_int() -> None:
    frames = read_ok(pcap_header(linktype=147) + pcap_record(0, 0, FRAME))
    assert frames[0].linktype == 147
    assert not isinstance(frames[0].linktype, LinkType)


def test_header_alone_is_an_empty_capture() -> None:
    assert read_ok(pcap_header()) == []


def test_record_beyond_snaplen_is_cut_to_it_as_libpcap_does() -> None:
    data = pcap_header(snaplen=40) + pcap_record(0, 0, FRAME, wirelen=1000)
    (frame,) = read_ok(data + pcap_record(1, 0, b"next"))[:1]
    assert frame.data == FRAME[:40]
    assert frame.wirelen == 1000
    assert read_ok(data + pcap_record(1, 0, b"next"))[1].data == b"next"


def test_captured_length_above_wire_length_is_passed_on() -> None:
    frames = read_ok(pcap_header() + pcap_record(0, 0, FRAME, wirelen=30))
    assert (len(frames[0].data), frames[0].wirelen) == (60, 30)


def test_fraction_of_a_whole_second_or_more_is_not_carried() -> None:
    frames = read_ok(pcap_header() + pcap_record(100, 1500000, FRAME))
    assert (frames[0].ts_sec, frames[0].ts_nsec) == (100, 1500000000)


def test_record_larger_than_a_chunk_reads_whole() -> None:
    big = bytes(range(256)) * (3 * CHUNK_SIZE // 256 + 1)
    data = (
        pcap_header(snaplen=len(big))
        + pcap_record(0, 0, big)
        + pcap_record(1, 0, FRAME)
    )
    assert [frame.data for frame in read_ok(data)] == [big, FRAME]


@pytest.mark.parametrize(
    ("snaplen", "caplen", "message"),
    [
        (65535, 262145, "record 2: captured length 262145 exceeds the limit 262144"),
        (300000, 300001, "record 2: captured length 300001 exceeds the limit 300000"),
        (
            0xFFFFFFFF,
            0xFFFFFFFF,
            "captured length 4294967295 exceeds the limit 16777216",
        ),
    ],
)
def test_lying_captured_length_is_refused_before_reading(
    snaplen: int, caplen: int, message: str
) -> None:
    liar = pcap_record(1, 0, b"", caplen=caplen)
    frames, error = read_all(
        pcap_header(snaplen=snaplen) + pcap_record(0, 0, FRAME) + liar
    )
    assert len(frames) == 1
    assert error is not None
    assert message in str(error)
    assert error.frames_read == 1


def test_snaplen_above_the_default_limit_allows_longer_records() -> None:
    data = bytes(300000)
    assert (
        read_ok(pcap_header(snaplen=300000) + pcap_record(0, 0, data))[0].data == data
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pcap_header()[:10], "truncated pcap file header (10 of 24 bytes)"),
        (pcap_header(version=(3, 0)), "unsupported pcap version 3.0"),
        (
            pcap_header() + pcap_record(0, 0, FRAME)[:7],
            "truncated record 1: 7 of 16 header bytes",
        ),
        (
            pcap_header() + pcap_record(0, 0, FRAME) + pcap_record(0, 0, FRAME)[:56],
            "truncated record 2: 40 of 60 captured bytes",
        ),
    ],
)
def test_damage_is_described(data: bytes, message: str) -> None:
    assert read_error(data) == message


def test_every_truncation_gives_the_frames_before_it_and_a_clean_error() -> None:
    records = [
        pcap_record(1, 2, FRAME, ">"),
        pcap_record(3, 4, b"", ">"),
        pcap_record(5, 6, b"abcde", ">"),
    ]
    data = pcap_header(">", NSEC_MAGIC, linktype=LinkType.RAW)
    ends = {len(data): 0}
    for count, record in enumerate(records, 1):
        data += record
        ends[len(data)] = count
    whole = read_ok(data)
    assert len(whole) == 3
    for size in range(len(data)):
        frames, error = read_all(data[:size])
        complete = max((count for end, count in ends.items() if end <= size), default=0)
        assert frames == whole[:complete]
        assert (error is None) == (size in ends), size


@pytest.mark.parametrize("step", [1, 3, 17])
def test_records_split_across_many_small_reads(step: int) -> None:
    data = pcap_header() + b"".join(pcap_record(n, n, FRAME[:n]) for n in range(40))
    assert list(read_stream(Trickle(data, step))) == read_ok(data)
