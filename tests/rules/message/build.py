"""Names the message-rule tests share: the parties of a built exchange and
the types of the conftest fixtures."""

from collections.abc import Callable
from pathlib import Path

from dhcpcheck.rules.base import Hit
from dhcpcheck.transactions.model import Seen

CLIENT = "fa:16:3e:d6:62:84"
SERVER_MAC = "fa:16:3e:4c:de:f2"
SERVER = "192.0.2.1"
LEASED = "192.0.2.107"
XID = 0x6265AB6D
SERVER_TYPES = (2, 5, 6)
SEED = Path(__file__).parents[3] / "samples" / "openstack-dora.pcap"

MakeSeen = Callable[..., Seen]
Run = Callable[..., list[Hit]]
