from dhcpcheck.capture.frame import Frame
from dhcpcheck.craft.frames import captured


def test_stamp_is_split_into_seconds_and_nanoseconds() -> None:
    frame = captured(3, 1_623_162_713_831_654_321, 1, b"abc")
    assert frame == Frame(3, 1_623_162_713, 831_654_321, 1, b"abc", 3)


def test_snaplen_cuts_data_but_not_wire_length() -> None:
    frame = captured(1, 0, 1, bytes(100), snaplen=42)
    assert (len(frame.data), frame.wirelen) == (42, 100)
