"""The one table of DHCP option codes: names, value layouts and length rules.

Pure data read by the decoder, the rule engine, the rule docs and the tcpdump
printer; none of their logic lives here. Codes follow the IANA BOOTP/DHCP registry.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, IntFlag, StrEnum
from types import MappingProxyType
from typing import NamedTuple


class OptionCode(IntEnum):
    """Option codes the project refers to by name (RFC 2132 and later RFCs)."""

    PAD = 0
    SUBNET_MASK = 1
    TIME_OFFSET = 2
    ROUTER = 3
    TIME_SERVER = 4
    NAME_SERVER = 5
    DOMAIN_NAME_SERVER = 6
    LOG_SERVER = 7
    HOSTNAME = 12
    BOOT_FILE_SIZE = 13
    DOMAIN_NAME = 15
    IP_FORWARDING = 19
    POLICY_FILTER = 21
    INTERFACE_MTU = 26
    BROADCAST_ADDRESS = 28
    STATIC_ROUTE = 33
    NIS_DOMAIN = 40
    NIS_SERVERS = 41
    NTP_SERVERS = 42
    VENDOR_SPECIFIC = 43
    NETBIOS_NAME_SERVER = 44
    NETBIOS_NODE_TYPE = 46
    REQUESTED_IP = 50
    LEASE_TIME = 51
    OVERLOAD = 52
    MESSAGE_TYPE = 53
    SERVER_ID = 54
    PARAMETER_REQUEST_LIST = 55
    MESSAGE = 56
    MAX_MESSAGE_SIZE = 57
    RENEWAL_TIME = 58
    REBINDING_TIME = 59
    VENDOR_CLASS_ID = 60
    CLIENT_ID = 61
    TFTP_SERVER_NAME = 66
    BOOTFILE_NAME = 67
    USER_CLASS = 77
    RAPID_COMMIT = 80
    CLIENT_FQDN = 81
    RELAY_AGENT_INFO = 82
    AUTHENTICATION = 90
    CLIENT_LAST_TRANSACTION_TIME = 91
    ASSOCIATED_IP = 92
    CLIENT_SYSTEM_ARCH = 93
    CLIENT_NDI = 94
    CLIENT_UUID = 97
    IPV6_ONLY_PREFERRED = 108
    AUTO_CONFIGURE = 116
    SUBNET_SELECTION = 118
    DOMAIN_SEARCH = 119
    SIP_SERVERS = 120
    CLASSLESS_ROUTE = 121
    VENDOR_CLASS = 124
    VENDOR_SPECIFIC_INFO = 125
    SZTP_REDIRECT = 143
    TFTP_SERVER_ADDRESS = 150
    MUD_URL = 161
    CLASSLESS_ROUTE_MS = 249
    END = 255


class MessageType(IntEnum):
    """DHCP message types, option 53 (RFC 2132, 3203, 4388, 6926, 7724)."""

    DISCOVER = 1
    OFFER = 2
    REQUEST = 3
    DECLINE = 4
    ACK = 5
    NAK = 6
    RELEASE = 7
    INFORM = 8
    FORCERENEW = 9
    LEASEQUERY = 10
    LEASEUNASSIGNED = 11
    LEASEUNKNOWN = 12
    LEASEACTIVE = 13
    BULKLEASEQUERY = 14
    LEASEQUERYDONE = 15
    ACTIVELEASEQUERY = 16
    LEASEQUERYSTATUS = 17
    TLS = 18


class ValueFormat(StrEnum):
    """How an option's data is laid out; the structured ones have own grammars."""

    NONE = "none"  # PAD and END: a lone code octet, no length, no data
    EMPTY = "empty"  # a length octet of zero and nothing else (rapid commit)
    IPV4 = "ipv4"  # one or more IPv4 addresses
    IPV4_PAIRS = "ipv4-pairs"  # (address, address) pairs
    U8 = "u8"  # unsigned octets
    U16 = "u16"  # unsigned 16-bit integers, network order
    U32 = "u32"  # unsigned 32-bit integers, network order
    I32 = "i32"  # two's-complement 32-bit integers
    BOOLEAN = "boolean"  # octets 0 (off) or 1 (on)
    TEXT = "text"  # NVT ASCII, not NUL-terminated
    BYTES = "bytes"  # opaque octets
    GUESSED = "guessed"  # layout unknown: tcpdump guesses one from the length
    MESSAGE_TYPE = "message-type"  # one octet, see MessageType
    OVERLOAD = "overload"  # one octet, see Overload
    NETBIOS_NODE = "netbios-node"  # one octet, see NetbiosNode
    PARAMETER_LIST = "parameter-list"  # option codes, one octet each
    CLIENT_ID = "client-id"  # hardware type octet, then an identifier
    USER_CLASS = "user-class"  # length-prefixed instances (RFC 3004)
    CLIENT_FQDN = "client-fqdn"  # flags, two rcodes, a name (RFC 4702)
    RELAY_AGENT_INFO = "relay-agent-info"  # sub-options (RFC 3046)
    CLASSLESS_ROUTES = "classless-routes"  # width, prefix, router (RFC 3442)
    AUTHENTICATION = "authentication"  # protocol, algorithm, RDM... (RFC 3118)
    DOMAIN_LIST = "domain-list"  # RFC 1035 names, maybe compressed (RFC 3397)
    VENDOR_CLASSES = "vendor-classes"  # enterprise number + data (RFC 3925)
    EXTENDED_REQUEST = "extended-request"  # 4.9.3 only: 16-bit option codes
    EXTENDED_OPTION = "extended-option"  # 4.9.3 only: data opens with a 16-bit code


@dataclass(frozen=True, slots=True)
class LengthRule:
    """What the length octet may say: the RFC's fixed, multiple-of and minimum rules.

    A length is allowed when ``minimum <= length <= maximum`` and it is a
    multiple of ``multiple``.
    """

    minimum: int = 0
    maximum: int = 255
    multiple: int = 1

    def allows(self, length: int) -> bool:
        """Whether an option whose length octet says ``length`` obeys the rule."""
        within = self.minimum <= length <= self.maximum
        return within and length % self.multiple == 0


def fixed(length: int) -> LengthRule:
    """Exactly ``length`` octets (RFC 2132: "The code for this option is 1, and
    its length is 4")."""
    return LengthRule(minimum=length, maximum=length)


def at_least(minimum: int) -> LengthRule:
    """Any length from ``minimum`` up."""
    return LengthRule(minimum=minimum)


def multiple_of(step: int, minimum: int) -> LengthRule:
    """A whole number of ``step``-octet items, at least ``minimum`` octets."""
    return LengthRule(minimum=minimum, multiple=step)


ANY_LENGTH = LengthRule()


@dataclass(frozen=True, slots=True)
class TcpdumpLabel:
    """How one tcpdump release labels and prints an option.

    ``name`` is None when that release does not know the code (4.99.3 then prints
    ``Unknown``, 4.9.3 ``T<code>``); the value is then printed as ``GUESSED``.
    """

    name: str | None
    value: ValueFormat


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One row of the option table."""

    code: int
    title: str  # IANA registry name; "" when the code is unassigned
    value: ValueFormat  # layout the defining RFC gives
    length: LengthRule  # length rule the defining RFC gives
    tcpdump: TcpdumpLabel  # tcpdump 4.99.3
    tcpdump_4_9: TcpdumpLabel  # tcpdump 4.9.3


_SAME = "="  # in a row: 4.9.3 prints the 4.99.3 name


class _Row(NamedTuple):
    """Source form of a table row; `_spec` expands the defaults."""

    code: int
    title: str
    value: ValueFormat
    length: LengthRule
    name: str | None  # tcpdump 4.99.3's name
    name_4_9: str | None = _SAME  # 4.9.3's name
    shown: ValueFormat | None = None  # tcpdump's layout when not `value`
    shown_4_9: ValueFormat | None = None  # 4.9.3's layout when not `shown`


F = ValueFormat
_IPS = multiple_of(4, 4)
_PAIRS = multiple_of(8, 8)
_NAME = at_least(1)

# fmt: off
_ROWS: tuple[_Row, ...] = (
    _Row(0, "Pad", F.NONE, fixed(0), "PAD"),
    _Row(1, "Subnet Mask", F.IPV4, fixed(4), "Subnet-Mask"),
    _Row(2, "Time Offset", F.I32, fixed(4), "Time-Zone"),
    _Row(3, "Router", F.IPV4, _IPS, "Default-Gateway"),
    _Row(4, "Time Server", F.IPV4, _IPS, "Time-Server"),
    _Row(5, "Name Server", F.IPV4, _IPS, "IEN-Name-Server"),
    _Row(6, "Domain Server", F.IPV4, _IPS, "Domain-Name-Server"),
    _Row(7, "Log Server", F.IPV4, _IPS, "LOG"),
    _Row(8, "Quotes Server", F.IPV4, _IPS, "CS"),
    _Row(9, "LPR Server", F.IPV4, _IPS, "LPR-Server"),
    _Row(10, "Impress Server", F.IPV4, _IPS, "IM"),
    _Row(11, "RLP Server", F.IPV4, _IPS, "RL"),
    _Row(12, "Hostname", F.TEXT, _NAME, "Hostname"),
    _Row(13, "Boot File Size", F.U16, fixed(2), "BS"),
    _Row(14, "Merit Dump File", F.TEXT, _NAME, "DP"),
    _Row(15, "Domain Name", F.TEXT, _NAME, "Domain-Name"),
    _Row(16, "Swap Server", F.IPV4, fixed(4), "SS"),
    _Row(17, "Root Path", F.TEXT, _NAME, "RP"),
    _Row(18, "Extension File", F.TEXT, _NAME, "EP"),
    _Row(19, "Forward On/Off", F.BOOLEAN, fixed(1), "IPF"),
    _Row(20, "SrcRte On/Off", F.BOOLEAN, fixed(1), "SRT"),
    _Row(21, "Policy Filter", F.IPV4_PAIRS, _PAIRS, "PF"),
    _Row(22, "Max DG Assembly", F.U16, fixed(2), "RSZ"),
    _Row(23, "Default IP TTL", F.U8, fixed(1), "TTL"),
    _Row(24, "MTU Timeout", F.U32, fixed(4), "MTU-Timeout"),
    _Row(25, "MTU Plateau", F.U16, multiple_of(2, 2), "MTU-Table"),
    _Row(26, "MTU Interface", F.U16, fixed(2), "MTU"),
    _Row(27, "MTU Subnet", F.BOOLEAN, fixed(1), "LSN"),
    _Row(28, "Broadcast Address", F.IPV4, fixed(4), "BR"),
    _Row(29, "Mask Discovery", F.BOOLEAN, fixed(1), "MD"),
    _Row(30, "Mask Supplier", F.BOOLEAN, fixed(1), "MS"),
    _Row(31, "Router Discovery", F.BOOLEAN, fixed(1), "Router-Discovery"),
    _Row(32, "Router Request", F.IPV4, fixed(4), "RSA"),
    _Row(33, "Static Route", F.IPV4_PAIRS, _PAIRS, "Static-Route"),
    _Row(34, "Trailers", F.BOOLEAN, fixed(1), "UT"),
    _Row(35, "ARP Timeout", F.U32, fixed(4), "AT"),
    _Row(36, "Ethernet", F.BOOLEAN, fixed(1), "IE"),
    _Row(37, "Default TCP TTL", F.U8, fixed(1), "TT"),
    _Row(38, "Keepalive Time", F.U32, fixed(4), "KI"),
    _Row(39, "Keepalive Data", F.BOOLEAN, fixed(1), "KG"),
    _Row(40, "NIS Domain", F.TEXT, _NAME, "YD"),
    _Row(41, "NIS Servers", F.IPV4, _IPS, "YS"),
    _Row(42, "NTP Servers", F.IPV4, _IPS, "NTP"),
    _Row(43, "Vendor Specific", F.BYTES, at_least(1), "Vendor-Option"),
    _Row(44, "NETBIOS Name Srv", F.IPV4, _IPS, "Netbios-Name-Server"),
    _Row(45, "NETBIOS Dist Srv", F.IPV4, _IPS, "WDD"),
    _Row(46, "NETBIOS Node Type", F.NETBIOS_NODE, fixed(1), "Netbios-Node"),
    _Row(47, "NETBIOS Scope", F.TEXT, _NAME, "Netbios-Scope"),
    _Row(48, "X Window Font", F.IPV4, _IPS, "XFS"),
    _Row(49, "X Window Manager", F.IPV4, _IPS, "XDM"),
    _Row(50, "Address Request", F.IPV4, fixed(4), "Requested-IP"),
    _Row(51, "Address Time", F.U32, fixed(4), "Lease-Time"),
    _Row(52, "Overload", F.OVERLOAD, fixed(1), "OO"),
    _Row(53, "DHCP Msg Type", F.MESSAGE_TYPE, fixed(1), "DHCP-Message"),
    _Row(54, "DHCP Server Id", F.IPV4, fixed(4), "Server-ID"),
    _Row(55, "Parameter List", F.PARAMETER_LIST, at_least(1), "Parameter-Request"),
    _Row(56, "DHCP Message", F.TEXT, _NAME, "MSG"),
    _Row(57, "DHCP Max Msg Size", F.U16, fixed(2), "MSZ"),
    _Row(58, "Renewal Time", F.U32, fixed(4), "RN"),
    _Row(59, "Rebinding Time", F.U32, fixed(4), "RB"),
    _Row(60, "Class Id", F.TEXT, at_least(1), "Vendor-Class"),
    _Row(61, "Client Id", F.CLIENT_ID, at_least(2), "Client-ID"),
    _Row(62, "NetWare/IP Domain", F.TEXT, _NAME, None),
    _Row(63, "NetWare/IP Option", F.BYTES, ANY_LENGTH, None),
    _Row(64, "NIS-Domain-Name", F.TEXT, _NAME, "N+D", shown=F.U16),
    _Row(65, "NIS-Server-Addr", F.IPV4, _IPS, "N+S"),
    _Row(66, "Server-Name", F.TEXT, _NAME, "TFTP"),
    _Row(67, "Bootfile-Name", F.TEXT, _NAME, "BF"),
    _Row(68, "Home-Agent-Addrs", F.IPV4, multiple_of(4, 0), "MH"),
    _Row(69, "SMTP-Server", F.IPV4, _IPS, "SMTP"),
    _Row(70, "POP3-Server", F.IPV4, _IPS, "POP3"),
    _Row(71, "NNTP-Server", F.IPV4, _IPS, "NNTP"),
    _Row(72, "WWW-Server", F.IPV4, _IPS, "WWW"),
    _Row(73, "Finger-Server", F.IPV4, _IPS, "FG"),
    _Row(74, "IRC-Server", F.IPV4, _IPS, "IRC"),
    _Row(75, "StreetTalk-Server", F.IPV4, _IPS, "STS"),
    _Row(76, "STDA-Server", F.IPV4, _IPS, "STDA"),
    _Row(77, "User-Class", F.USER_CLASS, at_least(2), "User-Class"),
    _Row(78, "Directory Agent", F.BYTES, at_least(1), "SLP-DA", shown=F.U8),
    _Row(79, "Service Scope", F.BYTES, at_least(1), "SLP-SCOPE", shown=F.U8),
    _Row(80, "Rapid Commit", F.EMPTY, fixed(0), "SLP-NA", shown=F.TEXT),
    _Row(81, "Client FQDN", F.CLIENT_FQDN, at_least(3), "FQDN"),
    _Row(82, "Relay Agent Information", F.RELAY_AGENT_INFO, at_least(2),
         "Agent-Information"),
    _Row(83, "iSNS", F.BYTES, at_least(14), "ARMT", shown=F.U8),
    _Row(84, "", F.GUESSED, ANY_LENGTH, None, "AMSK", shown_4_9=F.U8),
    _Row(85, "NDS Servers", F.IPV4, _IPS, None),
    _Row(86, "NDS Tree Name", F.TEXT, ANY_LENGTH, None),
    _Row(87, "NDS Context", F.TEXT, ANY_LENGTH, None),
    _Row(88, "BCMCS Controller Domain Name list", F.DOMAIN_LIST, _NAME, "TZSTR",
         shown=F.TEXT),
    _Row(89, "BCMCS Controller IPv4 address", F.IPV4, _IPS, "FQDNS", shown=F.U8),
    _Row(90, "Authentication", F.AUTHENTICATION, at_least(11), "AUTH",
         shown=F.U8),
    _Row(91, "client-last-transaction-time", F.U32, fixed(4),
         "Last-Transaction-Time", "VINES", shown=F.I32, shown_4_9=F.IPV4),
    _Row(92, "associated-ip", F.IPV4, _IPS, "Associated-IP", "RANK",
         shown_4_9=F.U16),
    _Row(93, "Client System", F.U16, multiple_of(2, 2), "ARCH"),
    _Row(94, "Client NDI", F.BYTES, fixed(3), "NDI", shown=F.U8),
    _Row(95, "LDAP", F.TEXT, _NAME, "LDAP"),
    _Row(96, "", F.GUESSED, ANY_LENGTH, None, "6o4", shown_4_9=F.IPV4),
    _Row(97, "UUID/GUID", F.BYTES, fixed(17), "GUID", shown=F.U8),
    _Row(98, "User-Auth", F.TEXT, _NAME, "UAP"),
    _Row(99, "GEOCONF_CIVIC", F.BYTES, at_least(3), None),
    _Row(100, "PCode", F.TEXT, _NAME, "POSIX-TZ"),
    _Row(101, "TCode", F.TEXT, _NAME, "TZ-Name"),
    _Row(108, "IPv6-Only Preferred", F.U32, fixed(4), None),
    _Row(109, "OPTION_DHCP4O6_S46_SADDR", F.BYTES, fixed(16), None),
    _Row(110, "", F.GUESSED, ANY_LENGTH, None, "IPX", shown_4_9=F.U8),
    _Row(112, "Netinfo Address", F.IPV4, _IPS, "NI"),
    _Row(113, "Netinfo Tag", F.TEXT, _NAME, "NITAG"),
    _Row(114, "DHCP Captive-Portal", F.TEXT, _NAME, "URL"),
    _Row(115, "", F.GUESSED, ANY_LENGTH, None, "FAIL", shown_4_9=F.U8),
    _Row(116, "Auto-Config", F.U8, fixed(1), "NOAUTO", shown=F.BOOLEAN),
    _Row(117, "Name Service Search", F.U16, multiple_of(2, 2), "NSSEARCH"),
    _Row(118, "Subnet Selection Option", F.IPV4, fixed(4), "SUBNET"),
    _Row(119, "Domain Search", F.DOMAIN_LIST, _NAME, None),
    _Row(120, "SIP Servers DHCP Option", F.BYTES, at_least(2), None),
    _Row(121, "Classless Static Route Option", F.CLASSLESS_ROUTES, at_least(5),
         "Classless-Static-Route"),
    _Row(122, "CCC", F.BYTES, ANY_LENGTH, None),
    _Row(123, "GeoConf Option", F.BYTES, fixed(16), None),
    _Row(124, "V-I Vendor Class", F.VENDOR_CLASSES, at_least(5), None),
    _Row(125, "V-I Vendor-Specific Information", F.VENDOR_CLASSES, at_least(5),
         None),
    _Row(126, "", F.GUESSED, ANY_LENGTH, None, None,
         shown_4_9=F.EXTENDED_REQUEST),
    _Row(127, "", F.GUESSED, ANY_LENGTH, None, None, shown_4_9=F.EXTENDED_OPTION),
    _Row(136, "OPTION_PANA_AGENT", F.IPV4, _IPS, None),
    _Row(137, "OPTION_V4_LOST", F.DOMAIN_LIST, _NAME, None),
    _Row(138, "OPTION_CAPWAP_AC_V4", F.IPV4, _IPS, None),
    _Row(141, "SIP UA Configuration Service Domains", F.DOMAIN_LIST, _NAME, None),
    _Row(143, "OPTION_V4_SZTP_REDIRECT", F.BYTES, at_least(2), None),
    _Row(145, "FORCERENEW_NONCE_CAPABLE", F.U8, at_least(1), None),
    _Row(150, "TFTP server address", F.IPV4, _IPS, "TFTP-Server-Address"),
    _Row(151, "status-code", F.BYTES, at_least(1), None),
    _Row(152, "base-time", F.U32, fixed(4), None),
    _Row(153, "start-time-of-state", F.U32, fixed(4), None),
    _Row(154, "query-start-time", F.U32, fixed(4), None),
    _Row(155, "query-end-time", F.U32, fixed(4), None),
    _Row(156, "dhcp-state", F.U8, fixed(1), None),
    _Row(157, "data-source", F.U8, fixed(1), None),
    _Row(161, "OPTION_MUD_URL_V4", F.TEXT, _NAME, "MUD-URL"),
    _Row(162, "OPTION_V4_DNR", F.BYTES, ANY_LENGTH, None),
    _Row(208, "PXELINUX Magic", F.BYTES, fixed(4), None),
    _Row(209, "Configuration File", F.TEXT, _NAME, None),
    _Row(210, "Path Prefix", F.TEXT, _NAME, None),
    _Row(211, "Reboot Time", F.U32, fixed(4), None),
    _Row(212, "OPTION_6RD", F.BYTES, at_least(22), None),
    _Row(213, "OPTION_V4_ACCESS_DOMAIN", F.DOMAIN_LIST, _NAME, None),
    _Row(220, "Subnet Allocation Option", F.BYTES, ANY_LENGTH, None),
    _Row(221, "Virtual Subnet Selection (VSS) Option", F.BYTES, at_least(1), None),
    _Row(249, "Classless Static Route (Microsoft)", F.CLASSLESS_ROUTES,
         at_least(5), "Classless-Static-Route-Microsoft"),
    _Row(255, "End", F.NONE, fixed(0), "END"),
)
# fmt: on


def _label(
    name: str | None, explicit: ValueFormat | None, default: ValueFormat
) -> TcpdumpLabel:
    if explicit is not None:
        return TcpdumpLabel(name, explicit)
    return TcpdumpLabel(name, default if name is not None else F.GUESSED)


def _spec(row: _Row) -> OptionSpec:
    name_4_9 = row.name if row.name_4_9 == _SAME else row.name_4_9
    return OptionSpec(
        code=row.code,
        title=row.title,
        value=row.value,
        length=row.length,
        tcpdump=_label(row.name, row.shown, row.value),
        tcpdump_4_9=_label(name_4_9, row.shown_4_9, row.shown or row.value),
    )


def _unassigned(code: int) -> OptionSpec:
    unknown = TcpdumpLabel(None, F.GUESSED)
    return OptionSpec(code, "", F.GUESSED, ANY_LENGTH, unknown, unknown)


def _table() -> tuple[OptionSpec, ...]:
    rows = {row.code: _spec(row) for row in _ROWS}
    return tuple(rows.get(code) or _unassigned(code) for code in range(256))


OPTIONS: tuple[OptionSpec, ...] = _table()
"""Every option code 0-255, indexed by code."""


@dataclass(frozen=True, slots=True)
class MessageTypeSpec:
    """A message type and the name each tcpdump release prints (None: unknown)."""

    message_type: MessageType
    tcpdump: str | None
    tcpdump_4_9: str | None


MT = MessageType
MESSAGE_TYPES: Mapping[int, MessageTypeSpec] = MappingProxyType(
    {
        spec.message_type: spec
        for spec in (
            MessageTypeSpec(MT.DISCOVER, "Discover", "Discover"),
            MessageTypeSpec(MT.OFFER, "Offer", "Offer"),
            MessageTypeSpec(MT.REQUEST, "Request", "Request"),
            MessageTypeSpec(MT.DECLINE, "Decline", "Decline"),
            MessageTypeSpec(MT.ACK, "ACK", "ACK"),
            MessageTypeSpec(MT.NAK, "NACK", "NACK"),
            MessageTypeSpec(MT.RELEASE, "Release", "Release"),
            MessageTypeSpec(MT.INFORM, "Inform", "Inform"),
            MessageTypeSpec(MT.FORCERENEW, None, None),
            MessageTypeSpec(MT.LEASEQUERY, "LeaseQuery", None),
            MessageTypeSpec(MT.LEASEUNASSIGNED, "LeaseUnassigned", None),
            MessageTypeSpec(MT.LEASEUNKNOWN, "LeaseUnknown", None),
            MessageTypeSpec(MT.LEASEACTIVE, "LeaseActive", None),
            MessageTypeSpec(MT.BULKLEASEQUERY, None, None),
            MessageTypeSpec(MT.LEASEQUERYDONE, None, None),
            MessageTypeSpec(MT.ACTIVELEASEQUERY, None, None),
            MessageTypeSpec(MT.LEASEQUERYSTATUS, None, None),
            MessageTypeSpec(MT.TLS, None, None),
        )
    }
)


class Overload(IntEnum):
    """Option 52: which BOOTP fields hold further options (RFC 2132 9.3)."""

    FILE = 1
    SNAME = 2
    BOTH = 3


OVERLOAD_NAMES: Mapping[int, str] = MappingProxyType(
    {Overload.FILE: "file", Overload.SNAME: "sname", Overload.BOTH: "file+sname"}
)


class NetbiosNode(IntEnum):
    """Option 46: NetBIOS over TCP/IP node type (RFC 2132 8.7)."""

    B_NODE = 0x1
    P_NODE = 0x2
    M_NODE = 0x4
    H_NODE = 0x8


NETBIOS_NODE_NAMES: Mapping[int, str] = MappingProxyType(
    {
        NetbiosNode.B_NODE: "b-node",
        NetbiosNode.P_NODE: "p-node",
        NetbiosNode.M_NODE: "m-node",
        NetbiosNode.H_NODE: "h-node",
    }
)


class FqdnFlag(IntFlag):
    """Option 81 flag bits (RFC 4702 2.1), named by their letters."""

    S = 0x1
    O = 0x2  # noqa: E741 - the RFC's name for the bit
    E = 0x4
    N = 0x8


class RelayAgentSubOption(IntEnum):
    """Option 82 sub-option codes (RFC 3046, 3527, 3993, 4030, 5010, 5107)."""

    CIRCUIT_ID = 1
    REMOTE_ID = 2
    LINK_SELECTION = 5
    SUBSCRIBER_ID = 6
    RADIUS_ATTRIBUTES = 7
    AUTHENTICATION = 8
    VENDOR_SPECIFIC = 9
    RELAY_AGENT_FLAGS = 10
    SERVER_ID_OVERRIDE = 11


RELAY_AGENT_SUBOPTION_NAMES: Mapping[int, str] = MappingProxyType(
    {
        RelayAgentSubOption.CIRCUIT_ID: "Circuit-ID",
        RelayAgentSubOption.REMOTE_ID: "Remote-ID",
        RelayAgentSubOption.SUBSCRIBER_ID: "Subscriber-ID",
    }
)
"""Sub-options tcpdump names; it prints their values as text, others as hex."""


HARDWARE_TYPE_NAMES: Mapping[int, str] = MappingProxyType(
    {1: "ether", 6: "ieee802", 7: "arcnet", 15: "frelay", 23: "strip", 24: "ieee1394"}
)
"""ARP hardware types (RFC 1700) as tcpdump names them in a client identifier."""
