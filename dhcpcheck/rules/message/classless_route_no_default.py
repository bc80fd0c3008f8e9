"""classless-route-no-default: option 121 leaves out the default route that
option 3 gives.

What it checks
    Server messages carrying both classless static routes (121) and routers
    (3), where option 121 has no 0.0.0.0/0 route. Clients that support
    option 121 then ignore option 3 and end up with no default route, while
    older clients use option 3: the same lease works on some hosts and not
    on others. The classic fix is to repeat the default router in option
    121, as dnsmasq and the RFC's own advice do. A reply with option 121 and
    no option 3 is left alone (there may be no default route on purpose);
    so is an option 121 that does not parse (invalid-option-value reports
    it). Whether the client asked for option 3 is in its request, not here.

Why
    RFC 3442, DHCP Client Behavior (https://www.rfc-editor.org/rfc/rfc3442):
    "If the DHCP server returns both a Classless Static Routes option and a
    Router option, the DHCP client MUST ignore the Router option." The same
    RFC tells administrators to "specify the default router(s) both in the
    Router option and in the Classless Static Routes option".

Failing example
    A DHCPACK with option 3 = 192.0.2.1 and option 121 = 10.0.0.0/8 via
    192.0.2.254 only: `option 121 has no default route while option 3
    names 192.0.2.1 (clients that use 121 ignore 3)`.

Settings
    None.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import OptionCode
from dhcpcheck.decode.values import ValueFormatError, addresses, classless_routes
from dhcpcheck.rules.base import Hit, MessageRule, Settings, Severity
from dhcpcheck.rules.message.common import complete_value, hit
from dhcpcheck.transactions.model import Seen


def check(seen: Seen, settings: Settings) -> Iterator[Hit]:
    """One hit when a reply's classless routes lack the default option 3 gives."""
    message = seen.message
    routes = complete_value(message, OptionCode.CLASSLESS_ROUTE)
    routers = complete_value(message, OptionCode.ROUTER)
    if routes is None or routers is None or seen.from_client:
        return
    try:
        parsed = classless_routes(routes)
        gateways = addresses(routers)
    except ValueFormatError:
        return  # invalid-option-value and bad-option-length report these
    if all(route.destination.prefixlen for route in parsed):
        named = " ".join(map(str, gateways))
        text = (
            f"option 121 has no default route while option 3 names {named} "
            "(clients that use 121 ignore 3)"
        )
        yield hit(seen, text, option=OptionCode.CLASSLESS_ROUTE)


RULE = MessageRule(
    code="DHC131",
    name="classless-route-no-default",
    severity=Severity.WARNING,
    summary="option 121 without a default route beside option 3",
    doc=__doc__ or "",
    check=check,
)
