"""Bridges, veth pairs and macvlans, each made directly inside a lab namespace.

Devices are created in the namespace they belong to, never in the host's, and
need no cleanup of their own: they vanish with their namespace.
"""

from dhcpcheck.lab.netns import Lab, check_ifname


def add_bridge(lab: Lab, namespace: str, name: str) -> None:
    """Create bridge ``name`` in ``namespace`` and bring it up (STP stays off)."""
    link = ["ip", "-n", namespace, "link"]
    lab.run([*link, "add", check_ifname(name), "type", "bridge"])
    lab.run([*link, "set", name, "up"])


def add_port(
    lab: Lab, switch: str, bridge: str, port: str, host: str, ifname: str
) -> None:
    """Join ``ifname`` in namespace ``host`` to ``bridge`` through a veth pair
    whose other end, ``port``, is in namespace ``switch``."""
    link = ["ip", "-n", switch, "link"]
    peer = ["peer", "name", check_ifname(ifname), "netns", host]
    lab.run([*link, "add", check_ifname(port), "type", "veth", *peer])
    lab.run([*link, "set", port, "master", bridge])
    lab.run([*link, "set", port, "up"])
    checksum_off(lab, switch, port)
    checksum_off(lab, host, ifname)


def add_macvlan(lab: Lab, namespace: str, lower: str, name: str) -> None:
    """Create macvlan ``name`` on ``lower``, in bridge mode, in ``namespace``."""
    link = ["ip", "-n", namespace, "link", "add", "link", lower, check_ifname(name)]
    lab.run([*link, "type", "macvlan", "mode", "bridge"])
    checksum_off(lab, namespace, name)


def checksum_off(lab: Lab, namespace: str, ifname: str) -> None:
    """Have the kernel fill in UDP checksums before frames leave ``ifname``.

    veth and macvlan leave them to an offload that never happens, so captures
    would show bad checksums that a real wire never carries.
    """
    lab.run_in(namespace, ["ethtool", "-K", ifname, "tx", "off"])


def set_up(
    lab: Lab, namespace: str, ifname: str, mac: str, address: str | None = None
) -> None:
    """Give ``ifname`` its MAC and optional ``ADDRESS/PREFIX``, and bring it up."""
    link = ["ip", "-n", namespace, "link", "set", ifname]
    lab.run([*link, "address", mac])
    if address is not None:
        lab.run(["ip", "-n", namespace, "addr", "add", address, "dev", ifname])
    lab.run([*link, "up"])
