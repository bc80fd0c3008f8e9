"""Show built packets the way tcpdump prints them, to check the bytes against it."""

import os
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest

from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.craft.frames import captured

Show = Callable[..., str]


@pytest.fixture
def show(tmp_path: Path) -> Show:
    """Return a function: frame bytes in, tcpdump's ``-n -vv`` text out."""

    def run(data: bytes, linktype: int = LinkType.ETHERNET, *flags: str) -> str:
        stream = BytesIO()
        write_pcap(stream, [captured(1, 0, linktype, data)], linktype)
        path = tmp_path / "packet.pcap"
        path.write_bytes(stream.getvalue())
        command = ["tcpdump", "-r", str(path), "-n", "-vv", *flags]
        env = {**os.environ, "TZ": "UTC"}
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run
