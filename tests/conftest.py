"""Fixtures shared by the tests: `seen` builds tracker input from packet values."""

import time
from collections.abc import Callable, Iterator
from ipaddress import IPv4Address

import pytest

from dhcpcheck.craft.bootp import Bootp
from dhcpcheck.decode.bootp import decode_bootp
from dhcpcheck.transactions.model import Seen

CLIENT = "fa:16:3e:d6:62:84"


@pytest.fixture
def seen() -> Callable[..., Seen]:
    """A factory: seen(time, type, **bootp fields and extra options)."""
    counter = iter(range(1, 10_000))

    def make(
        time: float,
        kind: int | None,
        *,
        options: tuple[tuple[int, bytes], ...] = (),
        src: str = "0.0.0.0",
        dst: str = "255.255.255.255",
        relayed: bool = False,
        **fields: object,
    ) -> Seen:
        fields.setdefault("xid", 0x6265AB6D)
        fields.setdefault("chaddr", CLIENT)
        is_reply = kind in (2, 5, 6, 11, 12, 13)
        fields.setdefault("op", 2 if is_reply else 1)
        head = ((53, bytes([kind])),) if kind is not None else ()
        message = decode_bootp(Bootp(options=head + options, **fields).encode())
        assert message is not None
        sport, dport = (67, 68) if is_reply else (68, 67)
        if relayed:
            sport = dport = 67
        return Seen(
            frame=next(counter),
            time=time,
            ip_src=IPv4Address(src),
            ip_dst=IPv4Address(dst),
            sport=sport,
            dport=dport,
            mac_src=None,
            message=message,
        )

    return make


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC for the test, as TZ=UTC makes it for tcpdump."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
