"""Property-based fuzzing of every stage, with a fixed budget that CI runs.

Each test feeds one target of targets.py; the target says what must hold
(no exception but the documented ones, bounded frames, no control character
on the terminal). The atheris runner drives the same targets for long runs.
"""

from fuzz.strategies import (
    Mutation,
    bootp_payloads,
    captures,
    dhcp_frames,
    fuzz_frames,
    fuzz_settings,
    mutate,
    mutations,
)
from fuzz.targets import (
    VALUE_READERS,
    analyze_capture,
    analyze_frames,
    decode_frame,
    frames_input,
    print_frames,
    read_capture,
)
from hypothesis import given
from hypothesis import strategies as st

from dhcpcheck.capture.frame import Frame
from dhcpcheck.decode.bootp import decode_bootp
from dhcpcheck.decode.values import ValueFormatError


@fuzz_settings(400)
@given(captures())
def test_capture_readers_take_any_damage(data: bytes) -> None:
    read_capture(data)


@fuzz_settings(200)
@given(st.binary(max_size=200))
def test_capture_readers_take_any_bytes(data: bytes) -> None:
    read_capture(data)


@fuzz_settings(400)
@given(dhcp_frames())
def test_decoder_takes_hostile_dhcp(data: bytes) -> None:
    decode_frame(data)


@fuzz_settings(300)
@given(fuzz_frames(), mutations)
def test_decoder_takes_damaged_frames_of_every_link(
    frames: list[Frame], changes: list[Mutation]
) -> None:
    decode_frame(mutate(frames_input(frames), changes))


@fuzz_settings(500)
@given(bootp_payloads(), st.integers(0, 70000))
def test_bootp_decoder_keeps_within_the_payload(payload: bytes, wire: int) -> None:
    message = decode_bootp(payload, wire)
    if message is None:
        assert len(payload) < 8
        return
    assert message.size == len(payload) <= message.wire_size
    for option in message.options:
        assert payload[option.offset] == option.code
        start = option.offset + 2
        assert payload[start : start + len(option.data)] == option.data


@fuzz_settings(300)
@given(st.sampled_from(sorted(VALUE_READERS)), st.binary(max_size=300))
def test_value_readers_raise_only_value_format_errors(code: int, data: bytes) -> None:
    try:
        VALUE_READERS[code](data)
    except ValueFormatError as error:
        assert str(error) and "\n" not in str(error)


@fuzz_settings(60)
@given(dhcp_frames())
def test_printer_prints_hostile_dhcp_safely(data: bytes) -> None:
    print_frames(data)


@fuzz_settings(40)
@given(fuzz_frames(), mutations)
def test_printer_prints_damaged_frames_safely(
    frames: list[Frame], changes: list[Mutation]
) -> None:
    print_frames(mutate(frames_input(frames), changes))


@fuzz_settings(80)
@given(captures())
def test_pipeline_and_reports_take_damaged_captures(data: bytes) -> None:
    analyze_capture(data)


@fuzz_settings(80)
@given(dhcp_frames())
def test_pipeline_and_reports_take_hostile_dhcp(data: bytes) -> None:
    analyze_frames(data)
