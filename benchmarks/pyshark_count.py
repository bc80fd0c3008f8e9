"""Read every DHCP packet of a capture through pyshark, as a script would.

    python -m benchmarks.pyshark_count CAPTURE

Prints how many there were. compare.py times this on the start of a capture
only: pyshark takes milliseconds a packet.
"""

import sys

SAMPLE = 2_000  # frames of the DHCP capture pyshark reads; ten times that of mixed


def count(path: str) -> int:
    """The DHCP packets of `path`, each one's transaction id read."""
    import pyshark  # type: ignore[import-untyped]  # only this benchmark needs it

    capture = pyshark.FileCapture(path, display_filter="dhcp", keep_packets=False)
    found = 0
    try:
        for packet in capture:
            packet.dhcp.id  # noqa: B018 - reading a field is what scripts do
            found += 1
    finally:
        capture.close()
    return found


if __name__ == "__main__":
    print(count(sys.argv[1]))
