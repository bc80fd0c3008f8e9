from ipaddress import IPv4Address

import pytest
from rules.message.build import SERVER, MakeSeen

from dhcpcheck.decode.options import OPTIONS, LengthRule
from dhcpcheck.rules.message.common import (
    expected_length,
    fits,
    server_of,
    type_name,
)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (OPTIONS[54].length, "4"),
        (OPTIONS[3].length, "a multiple of 4, at least 4"),
        (OPTIONS[68].length, "a multiple of 4"),
        (OPTIONS[61].length, "at least 2"),
        (LengthRule(minimum=1, maximum=16), "at least 1, at most 16"),
    ],
)
def test_expected_length_in_words(rule: LengthRule, words: str) -> None:
    assert expected_length(rule) == words


def test_joined_values_may_pass_255_bytes() -> None:
    assert fits(OPTIONS[119].length, 300)
    assert fits(OPTIONS[6].length, 512)
    assert not fits(OPTIONS[6].length, 302)
    assert not fits(LengthRule(minimum=1, maximum=16), 17)


def test_type_names() -> None:
    assert type_name(2) == "DHCPOFFER"
    assert type_name(10) == "DHCPLEASEQUERY"
    assert type_name(77) == "message type 77"


def test_server_of_replies_only(seen: MakeSeen) -> None:
    with_id = seen(5, options=((54, bytes([192, 0, 2, 9])),))
    assert server_of(with_id) == IPv4Address("192.0.2.9")
    assert server_of(seen(5)) == IPv4Address(SERVER)
    assert server_of(seen(3, options=((54, bytes([192, 0, 2, 9])),))) is None
