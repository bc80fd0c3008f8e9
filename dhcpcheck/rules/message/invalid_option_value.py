"""invalid-option-value: a well-sized option holds a value its RFC rules out.

What it checks
    Options whose length is right (bad-option-length checks that first) but
    whose value is out of range or malformed inside:

    - error: interface MTU (26) below 68; maximum datagram reassembly size
      (22) and maximum DHCP message size (57) below 576; default IP TTL (23)
      or TCP TTL (37) of 0; a static route (33) to 0.0.0.0; option overload
      (52) other than 1, 2 or 3, or found in `file` or `sname` rather than in
      the options field; a message type (53) no RFC defines; a server
      identifier (54) that is 0.0.0.0, broadcast or multicast; an RFC 4361
      client identifier (61 type 255) too short for its IAID and DUID;
      malformed relay agent information (82) sub-options, classless routes
      (121, 249) or vendor-identifying blocks (124, 125); an auto-configure
      (116) other than 0 or 1; a SIP servers (120) encoding other than 0 or 1;
      client FQDN (81) flags with both N and S set.
    - warning: a boolean option other than 0 or 1; a NetBIOS node type (46)
      other than 1, 2, 4 or 8; an MTU plateau (25) below 68 or not
      ascending; a subnet mask (1) that is not contiguous; client FQDN flags
      with reserved bits set; a user class (77) that is not RFC 3004
      length-prefixed data (often plain text, as Wireshark notes).
    - info: a parameter request list (55) asking for pad, end or the same
      option twice.

Why
    RFC 2132 gives the ranges: "The minimum legal value for the MTU is 68"
    (https://www.rfc-editor.org/rfc/rfc2132#section-5.1); for option 57
    "The minimum legal value is 576 octets"
    (https://www.rfc-editor.org/rfc/rfc2132#section-9.10); for option 33
    "The default route (0.0.0.0) is an illegal destination for a static
    route" (https://www.rfc-editor.org/rfc/rfc2132#section-5.8). RFC 2131
    section 4.1 (https://www.rfc-editor.org/rfc/rfc2131#section-4.1) puts
    option 52 "in the 'options' field, with value 1, 2 or 3". A client given
    an MTU of 60 cannot send a single IP datagram; a server that believes
    a client takes 500-byte messages may cut its reply.

Failing example
    A DHCPACK with `1a 02 00 3c`: `interface mtu 60 (minimum 68)`.

Settings
    None.
"""

from collections.abc import Callable, Iterator, Sequence
from ipaddress import IPv4Address

from dhcpcheck.decode import values
from dhcpcheck.decode.bootp import Area, Option
from dhcpcheck.decode.options import (
    OPTIONS,
    FqdnFlag,
    MessageType,
    NetbiosNode,
    OptionCode,
    Overload,
    ValueFormat,
)
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import fits, grouped, hit, joined, total_length
from dhcpcheck.transactions.model import BROADCAST, Seen

Flaw = tuple[Severity, str]
Check = Callable[[bytes], Iterator[Flaw]]

PLATEAU_MIN = 68  # RFC 2132 section 4.7, as for the MTU
_NOT_UNICAST = frozenset({bytes(4), b"\xff" * 4})  # 0.0.0.0, broadcast
RFC4361_MIN = 7  # type 255, a 4-byte IAID, a DUID of at least its 2-byte type


def _at_least(least: int, what: str) -> Check:
    def check(data: bytes) -> Iterator[Flaw]:
        value = int.from_bytes(data)
        if value < least:
            yield Severity.ERROR, f"{what} {value} (minimum {least})"

    return check


def _one_of(allowed: frozenset[int], what: str, severity: Severity) -> Check:
    listed = _alternatives(sorted(allowed))

    def check(data: bytes) -> Iterator[Flaw]:
        if data[0] not in allowed:
            yield severity, f"{what} {data[0]} (expected {listed})"

    return check


def _alternatives(choices: list[int]) -> str:
    """`0 or 1`, `1 to 18`, `1, 2, 4 or 8`."""
    if len(choices) > 2 and choices == list(range(choices[0], choices[-1] + 1)):
        return f"{choices[0]} to {choices[-1]}"
    return f"{', '.join(map(str, choices[:-1]))} or {choices[-1]}"


def _malformed(
    parse: Callable[[bytes], object], what: str, severity: Severity
) -> Check:
    def check(data: bytes) -> Iterator[Flaw]:
        try:
            parse(data)
        except values.ValueFormatError as error:
            yield severity, f"{what} malformed: {error}"

    return check


def _mask(data: bytes) -> Iterator[Flaw]:
    mask = int.from_bytes(data)
    inverted = ~mask & 0xFFFFFFFF
    if inverted & (inverted + 1):
        yield Severity.WARNING, f"subnet mask {IPv4Address(mask)} not contiguous"


def _plateau(data: bytes) -> Iterator[Flaw]:
    sizes = [int.from_bytes(data[i : i + 2]) for i in range(0, len(data), 2)]
    if min(sizes) < PLATEAU_MIN:
        yield Severity.WARNING, f"mtu plateau {min(sizes)} (minimum {PLATEAU_MIN})"
    if sizes != sorted(sizes):
        yield (
            Severity.WARNING,
            f"mtu plateau table not ascending ({' '.join(map(str, sizes))})",
        )


def _static_routes(data: bytes) -> Iterator[Flaw]:
    if any(not any(data[i : i + 4]) for i in range(0, len(data), 8)):
        yield (
            Severity.ERROR,
            "static route to 0.0.0.0 (the default route is not allowed here)",
        )


def _server_id(data: bytes) -> Iterator[Flaw]:
    # Read off the bytes: every server message carries one, and making an
    # IPv4Address to ask it costs ten times as much. 224-239: multicast.
    if data not in _NOT_UNICAST and not 224 <= data[0] <= 239:
        return
    address = IPv4Address(data)
    if address.is_unspecified or address == BROADCAST or address.is_multicast:
        yield (
            Severity.ERROR,
            f"server identifier {address} (expected a unicast address)",
        )


def _client_id(data: bytes) -> Iterator[Flaw]:
    if data[0] == 255 and len(data) < RFC4361_MIN:
        yield (
            Severity.ERROR,
            (
                f"client identifier type 255 of {len(data)} bytes "
                f"(IAID and DUID need at least {RFC4361_MIN})"
            ),
        )


def _fqdn(data: bytes) -> Iterator[Flaw]:
    flags = data[0]
    if flags & ~0x0F:
        yield Severity.WARNING, f"client fqdn flags 0x{flags:02x} (reserved bits set)"
    if flags & FqdnFlag.N and flags & FqdnFlag.S:
        yield Severity.ERROR, f"client fqdn flags 0x{flags:02x} (N and S both set)"


def _parameters(data: bytes) -> Iterator[Flaw]:
    codes = set(data)
    if len(codes) == len(data) and 0 not in codes and 255 not in codes:
        return  # the usual list, quickly: nothing below can be found
    for code in sorted({0, 255} & set(data)):
        yield Severity.INFO, f"parameter request list asks for option {code}"
    repeated = sorted({code for code in data if data.count(code) > 1} - {0, 255})
    if repeated:
        yield (
            Severity.INFO,
            f"parameter request list repeats {' '.join(map(str, repeated))}",
        )


_BOOLEAN = _one_of(frozenset({0, 1}), "boolean option", Severity.WARNING)
_CHECKS: dict[int, Check] = {
    OptionCode.SUBNET_MASK: _mask,
    22: _at_least(576, "max datagram reassembly size"),
    23: _at_least(1, "default ip ttl"),
    25: _plateau,
    OptionCode.INTERFACE_MTU: _at_least(68, "interface mtu"),
    OptionCode.STATIC_ROUTE: _static_routes,
    37: _at_least(1, "tcp default ttl"),
    OptionCode.NETBIOS_NODE_TYPE: _one_of(
        frozenset(NetbiosNode), "netbios node type", Severity.WARNING
    ),
    OptionCode.OVERLOAD: _one_of(
        frozenset(Overload), "option overload", Severity.ERROR
    ),
    OptionCode.MESSAGE_TYPE: _one_of(
        frozenset(MessageType), "message type", Severity.ERROR
    ),
    OptionCode.SERVER_ID: _server_id,
    OptionCode.PARAMETER_REQUEST_LIST: _parameters,
    OptionCode.MAX_MESSAGE_SIZE: _at_least(576, "max message size"),
    OptionCode.CLIENT_ID: _client_id,
    OptionCode.USER_CLASS: _malformed(
        values.user_classes, "user class", Severity.WARNING
    ),
    OptionCode.CLIENT_FQDN: _fqdn,
    OptionCode.RELAY_AGENT_INFO: _malformed(
        values.suboptions, "relay agent information", Severity.ERROR
    ),
    OptionCode.AUTO_CONFIGURE: _one_of(
        frozenset({0, 1}), "auto-configure", Severity.ERROR
    ),
    OptionCode.SIP_SERVERS: _one_of(
        frozenset({0, 1}), "sip servers encoding", Severity.ERROR
    ),
    OptionCode.CLASSLESS_ROUTE: _malformed(
        values.classless_routes, "classless static routes", Severity.ERROR
    ),
    OptionCode.VENDOR_CLASS: _malformed(
        values.vendor_blocks, "vendor class", Severity.ERROR
    ),
    OptionCode.VENDOR_SPECIFIC_INFO: _malformed(
        values.vendor_blocks, "vendor-specific information", Severity.ERROR
    ),
    OptionCode.CLASSLESS_ROUTE_MS: _malformed(
        values.classless_routes, "microsoft classless static routes", Severity.ERROR
    ),
}
_CHECKS |= {
    spec.code: _BOOLEAN for spec in OPTIONS if spec.value is ValueFormat.BOOLEAN
}


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """Hits for each flaw in the values of well-sized options."""
    message = seen.message
    for code, instances in grouped(message).items():
        test = _CHECKS.get(code)
        if test is None:
            continue
        if code == OptionCode.OVERLOAD:
            yield from _overload_placement(seen, instances)
        total = total_length(instances)
        data = joined(message, instances)
        if data is None or not fits(OPTIONS[code].length, total):
            continue  # reported as cut, as a bad length or as a repeat
        for severity, text in test(data):
            yield hit(seen, f"option {code} {text}", option=code, severity=severity)


def _overload_placement(seen: Seen, instances: Sequence[Option]) -> Iterator[Hit]:
    for option in instances:
        if option.area is not Area.OPTIONS:
            text = f"option 52 in the {option.area} field (allowed only in options)"
            yield hit(seen, text, option=option.code)


RULE = MessageRule(
    code="DHC107",
    name="invalid-option-value",
    severity=Severity.ERROR,
    summary="option value outside the range or format its RFC allows",
    doc=__doc__ or "",
    check=check,
)
