"""client-id-not-echoed: a reply leaves out or alters the client identifier.

RFC 6842 section 3 (https://www.rfc-editor.org/rfc/rfc6842#section-3)
reverses RFC 2131's Table 3, which said MUST NOT: "If the 'client identifier'
option is present in a message received from a client, the server MUST
return the 'client identifier' option, unaltered, in its response message."
The same section has a client compare it and "silently discard the message"
when it differs, and relays may need it to find the client when chaddr is
not usable (section 2). Servers written to RFC 2131 alone still leave it out;
dnsmasq 2.90 is one (samples/lab/dora-dnsmasq-udhcpc.pcap). A missing
option is therefore a warning; an altered one, which makes an RFC 6842
client drop the reply, is an error.

Compared: each OFFER, ACK and NAK against the client message it answers.

Failing exchange:

    0.0 s  0.0.0.0 -> 255.255.255.255  DISCOVER client-id 01:00:00:5e:00:53:10
    0.0 s  192.0.2.1 -> 192.0.2.107    OFFER (no option 61)
    -> offer without option 61 (client sent 0100005e005310)

Settings: none.
"""

from collections.abc import Iterator

from dhcpcheck.decode.options import MessageType, OptionCode
from dhcpcheck.rules.base import Hit, Settings, Severity, TransactionRule
from dhcpcheck.rules.transaction.exchange import answered, echo_hit, replies
from dhcpcheck.transactions.model import Transaction

MT = MessageType


def check(txn: Transaction, settings: Settings) -> Iterator[Hit]:
    """One hit per reply whose option 61 is not the client's, byte for byte."""
    for reply in replies(txn, MT.OFFER, MT.ACK, MT.NAK):
        request = answered(txn, reply)
        if request is None:
            continue
        hit = echo_hit(txn, request, reply, OptionCode.CLIENT_ID, "client")
        if hit is not None:
            yield hit


RULE = TransactionRule(
    code="DHC211",
    name="client-id-not-echoed",
    severity=Severity.WARNING,
    summary="a reply lacks or alters the client identifier (RFC 6842)",
    doc=__doc__ or "",
    check=check,
)
