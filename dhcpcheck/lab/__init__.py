"""A DHCP lab: real servers, clients and relays in network namespaces.

Records the sample captures in samples/lab. Needs root and the Debian packages
listed in samples/lab/README.md; it never touches the host's own interfaces.
"""
