"""The sample captures shipped in samples/, built from values so they can be remade.

Each builder returns the file's bytes; samples/build.py writes them to disk.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from io import BytesIO

from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.craft import options as opt
from dhcpcheck.craft.bootp import Bootp, BootpOp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import UDP, IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.options import Option
from dhcpcheck.decode.options import MessageType, OptionCode

# The OpenStack DORA of tests/data/corpus/seed: a VM (fa:16:3e:d6:62:84) and
# the dnsmasq of its network (fa:16:3e:4c:de:f2 at 1.1.1.2). The text gives
# the time of day only; the date is our choice.
DORA_START = datetime(2021, 6, 8, 14, 31, 53, tzinfo=UTC)
VM_MAC = "fa:16:3e:d6:62:84"
DNSMASQ_MAC = "fa:16:3e:4c:de:f2"
DNSMASQ_IP = "1.1.1.2"
LEASED_IP = "1.1.1.13"
DORA_XID = 0x6265AB6D

VM_PARAMETERS = opt.parameter_request(
    OptionCode.SUBNET_MASK,
    OptionCode.BROADCAST_ADDRESS,
    OptionCode.TIME_OFFSET,
    OptionCode.CLASSLESS_ROUTE,
    OptionCode.DOMAIN_NAME,
    OptionCode.DOMAIN_NAME_SERVER,
    OptionCode.HOSTNAME,
    OptionCode.NIS_DOMAIN,
    OptionCode.NIS_SERVERS,
    OptionCode.NTP_SERVERS,
    OptionCode.INTERFACE_MTU,
    OptionCode.DOMAIN_SEARCH,
    OptionCode.ROUTER,
)
DNSMASQ_LEASE = (
    opt.addresses(OptionCode.SERVER_ID, DNSMASQ_IP),
    opt.uint32(OptionCode.LEASE_TIME, 86400),
    opt.uint32(OptionCode.RENEWAL_TIME, 43200),
    opt.uint32(OptionCode.REBINDING_TIME, 75600),
    opt.addresses(OptionCode.SUBNET_MASK, "255.255.255.0"),
    opt.addresses(OptionCode.BROADCAST_ADDRESS, "1.1.1.255"),
    opt.addresses(OptionCode.DOMAIN_NAME_SERVER, DNSMASQ_IP),
    opt.text(OptionCode.DOMAIN_NAME, "openstacklocal"),
    opt.text(OptionCode.HOSTNAME, "host-1-1-1-13"),
    opt.uint16(OptionCode.INTERFACE_MTU, 1450),
    opt.addresses(OptionCode.ROUTER, "1.1.1.1"),
    opt.classless_routes(("169.254.169.254/32", DNSMASQ_IP), ("0.0.0.0/0", "1.1.1.1")),
)


def vm_request(options: Sequence[Option]) -> bytes:
    """Return the VM's broadcast of a BOOTREQUEST, as its DHCP client sends it."""
    message = Bootp(xid=DORA_XID, chaddr=VM_MAC, options=options)
    ip = IPv4(tos=0x10, ttl=128)
    return ethernet(udp_ipv4(message.encode(), ip), src=VM_MAC)


def dnsmasq_reply(ident: int, kind: MessageType) -> bytes:
    """Return dnsmasq's unicast BOOTREPLY offering or acknowledging the lease."""
    message = Bootp(
        op=BootpOp.BOOTREPLY,
        xid=DORA_XID,
        yiaddr=LEASED_IP,
        siaddr=DNSMASQ_IP,
        chaddr=VM_MAC,
        options=(opt.message_type(kind), *DNSMASQ_LEASE),
        min_length=0,
    )
    ip = IPv4(src=DNSMASQ_IP, dst=LEASED_IP, tos=0xC0, ident=ident)
    payload = udp_ipv4(message.encode(), ip, UDP(sport=67, dport=68))
    return ethernet(payload, src=DNSMASQ_MAC, dst=VM_MAC)


def openstack_dora_frames() -> list[Frame]:
    """Return the four frames of the seed DORA, stamped as the text shows them."""
    requested = opt.addresses(OptionCode.REQUESTED_IP, LEASED_IP)
    server = opt.addresses(OptionCode.SERVER_ID, DNSMASQ_IP)
    discover = (opt.message_type(MessageType.DISCOVER), requested, VM_PARAMETERS)
    request = (opt.message_type(MessageType.REQUEST), server, requested)
    packets = [
        (831654, vm_request(discover)),
        (832156, dnsmasq_reply(11227, MessageType.OFFER)),
        (859117, vm_request((*request, VM_PARAMETERS))),
        (872377, dnsmasq_reply(11234, MessageType.ACK)),
    ]
    start_ns = int(DORA_START.timestamp()) * 1_000_000_000
    return [
        captured(number, start_ns + usec * 1000, LinkType.ETHERNET, data)
        for number, (usec, data) in enumerate(packets, start=1)
    ]


def openstack_dora() -> bytes:
    """Return samples/openstack-dora.pcap: the seed DORA as a microsecond pcap."""
    stream = BytesIO()
    write_pcap(stream, openstack_dora_frames(), LinkType.ETHERNET)
    return stream.getvalue()


SAMPLES: dict[str, Callable[[], bytes]] = {
    "openstack-dora.pcap": openstack_dora,
}
