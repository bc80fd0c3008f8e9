"""Benchmarks: large generated captures, and dhcpcheck timed beside tshark,
tcpdump and pyshark on them. Nothing here is imported by dhcpcheck."""
