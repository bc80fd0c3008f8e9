"""Allow ``python -m dhcpcheck``."""

from dhcpcheck.cli import main

main()
