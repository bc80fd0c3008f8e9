"""Write every sample capture into this folder, byte for byte reproducibly.

Run from the project root: ``python samples/build.py``.
"""

from pathlib import Path

from dhcpcheck.craft.samples import SAMPLES


def main() -> None:
    """Build each sample and write it beside this script."""
    folder = Path(__file__).parent
    for name, build in SAMPLES.items():
        (folder / name).write_bytes(build())


if __name__ == "__main__":
    main()
