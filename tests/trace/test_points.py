"""Capture points from arguments, and their messages from frames."""

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.trace.points import PointError, collect, default_name, parse_points

SERVER = "samples/trace/lost-offer-server.pcap"


@pytest.mark.parametrize(
    ("argument", "point"),
    [
        ("client=a/x.pcap", ("client", "a/x.pcap")),
        ("captures/bridge.pcap", ("bridge", "captures/bridge.pcap")),
        ("tap.pcapng.gz", ("tap", "tap.pcapng.gz")),
        ("-", ("stdin", "-")),
        ("relay=-", ("relay", "-")),
        ("./odd=name.pcap", ("odd=name", "./odd=name.pcap")),
    ],
)
def test_points_are_named_or_named_after_their_file(
    argument: str, point: tuple[str, str]
) -> None:
    assert parse_points([argument]) == [point]


def test_a_name_used_twice_is_refused() -> None:
    with pytest.raises(PointError, match="two captures named x: name them NAME=FILE"):
        parse_points(["a/x.pcap", "b/x.pcap.gz"])


@pytest.mark.parametrize("argument", ["=x.pcap", "client="])
def test_a_name_or_file_left_empty_is_refused(argument: str) -> None:
    with pytest.raises(PointError, match="expected NAME=FILE"):
        parse_points([argument])


def test_a_file_named_only_by_suffixes_keeps_its_name() -> None:
    assert default_name("dir/.pcap") == ".pcap"


def test_collect_keeps_the_messages_and_link_types() -> None:
    point = collect("server", SERVER, read_frames(SERVER))
    assert (point.name, point.file) == ("server", SERVER)
    assert point.linktypes == (LinkType.LINUX_SLL2,)
    assert len(point.messages) == 6
    assert {seen.source for seen in point.messages} == {"server"}
