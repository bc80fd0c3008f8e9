"""dhcpcheck: a DHCPv4 packet-capture analyzer and protocol validator.

The package follows the data: ``capture`` reads frames from files or
interfaces, ``decode`` turns bytes into values, ``report`` writes them.
"""

__version__ = "0.1.0"
