"""Every class of bad input, end to end through the CLI, with its documented
outcome (docs/hostile-input.md): a finding, or one stderr line and an exit
status; never a traceback.

Each case is a file built here, run through `show`, `analyze` and `lint`.
"""

import gzip
import io
import json
import struct
from pathlib import Path

import pytest
from capture.capfiles import FRAME, block, epb, idb, pcap_header, pcap_record, shb
from typer.testing import CliRunner

from dhcpcheck.capture.writer import write_pcap
from dhcpcheck.cli import app
from dhcpcheck.craft.bootp import MAGIC_COOKIE, Bootp
from dhcpcheck.craft.frames import captured
from dhcpcheck.craft.ip import IPv4, udp_ipv4
from dhcpcheck.craft.link import ethernet
from dhcpcheck.craft.samples import openstack_dora, openstack_dora_frames
from dhcpcheck.status import ExitStatus

pytestmark = pytest.mark.usefixtures("utc")
runner = CliRunner()
COMMANDS = (["show"], ["analyze"], ["lint", "--format", "text"])
DORA = openstack_dora()
FIRST = openstack_dora_frames()[0].data


@pytest.fixture(autouse=True)
def no_colour_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def invoke(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run the CLI; a Python exception other than the exit itself is a bug."""
    result = runner.invoke(app, list(args), input=stdin)
    if not isinstance(result.exception, SystemExit | None):
        raise result.exception  # the traceback the user must never see
    return result.exit_code, result.stdout, result.stderr


def _linktype(value: int) -> bytes:
    return DORA[:20] + struct.pack("<I", value) + DORA[24:]


def _byte_order(magic: bytes) -> bytes:
    section = shb("<")
    return section[:8] + magic + section[12:]


# name: (file bytes, how the one stderr line after `FILE: ` starts)
UNREADABLE: dict[str, tuple[bytes, str]] = {
    "not-a-capture": (
        b"hello, not a capture\n",
        "not a pcap or pcapng file (starts with 0x68656c6c)",
    ),
    "empty": (b"", "empty file"),
    "gzip-garbage": (b"\x1f\x8b\x08\x00" + b"garbage" * 10, "bad gzip data: "),
    "gzip-empty": (gzip.compress(b""), "empty file inside the gzip data"),
    "gzip-text": (
        gzip.compress(b"text"),
        "not a pcap or pcapng file inside the gzip data",
    ),
    "header-cut": (DORA[:10], "truncated pcap file header (10 of 24 bytes)"),
    "lying-caplen": (
        pcap_header() + pcap_record(0, 0, FRAME, caplen=0xFFFFFFFF),
        "record 1: captured length 4294967295 exceeds the limit 262144",
    ),
    "pcap-version": (pcap_header(version=(3, 0)), "unsupported pcap version 3.0"),
    "pcapng-no-section": (
        block("<", 1, bytes(8)),
        "not a pcap or pcapng file (starts with 0x01000000)",
    ),
    "pcapng-byte-order": (
        _byte_order(b"\x11\x22\x33\x44"),
        "block at offset 0: bad byte-order magic 0x11223344",
    ),
    "pcapng-trailer": (
        shb("<") + idb("<") + epb("<", 0, 0, FRAME)[:-4] + b"\x99\0\0\0",
        "block at offset 48: trailing length 153 differs from 92",
    ),
    "pcapng-bad-length": (
        shb("<") + idb("<") + struct.pack("<II", 6, 13) + bytes(16),
        "block at offset 48: bad length 13 for type 0x6",
    ),
    "pcapng-lying-length": (
        shb("<") + idb("<") + struct.pack("<II", 6, 0xFFFFFFFC) + bytes(16),
        "block at offset 48: bad length 4294967292 for type 0x6",
    ),
    "pcapng-no-interface": (
        shb("<") + epb("<", 0, 0, FRAME),
        "block at offset 28: packet on interface 0; the section has 0",
    ),
    "pcapng-cut-block": (
        (shb("<") + idb("<") + epb("<", 0, 0, FRAME))[:-10],
        "truncated block at offset 48: 82 of 92 bytes",
    ),
}

# name: (file bytes, the stderr line after `FILE: `, frames read before it)
DAMAGED_TAIL: dict[str, tuple[bytes, str, int]] = {
    "record-cut": (DORA[:-100], "truncated record 4: 285 of 385 captured bytes", 3),
    "record-header-cut": (
        DORA[: 24 + 16 + 342 + 5],
        "truncated record 2: 5 of 16 header bytes",
        1,
    ),
    "gzip-cut": (gzip.compress(DORA, mtime=0)[:-30], "gzip data ends early", 3),
}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_input_is_one_line_and_exit_2(
    tmp_path: Path, name: str, command: list[str]
) -> None:
    data, complaint = UNREADABLE[name]
    path = tmp_path / f"{name}.pcap"
    path.write_bytes(data)
    status, out, err = invoke(*command, str(path))
    assert status == ExitStatus.ERROR
    lines = err.splitlines()
    assert lines[0].startswith(f"dhcpcheck: error: {path}: {complaint}")
    assert lines[1:] == ([] if command[0] != "lint" else ["0 findings in 1 capture"])
    if command[0] == "show":
        assert out == ""


@pytest.mark.parametrize("name", sorted(DAMAGED_TAIL))
def test_a_damaged_tail_keeps_the_frames_before_it(tmp_path: Path, name: str) -> None:
    data, complaint, frames = DAMAGED_TAIL[name]
    path = tmp_path / f"{name}.pcap"
    path.write_bytes(data)
    status, out, err = invoke("show", str(path))
    assert (status, err) == (ExitStatus.OK, f"dhcpcheck: error: {path}: {complaint}\n")
    assert len(out.splitlines()) == frames
    status, out, _ = invoke("analyze", "--format", "json", str(path))
    assert status == ExitStatus.OK
    assert json.loads(out)["summary"]["total"]["frames"] == frames


def test_unreadable_standard_input_is_named_dash() -> None:
    status, out, err = invoke("show", "-", stdin=b"junk")
    assert (status, out) == (ExitStatus.ERROR, "")
    assert (
        err
        == "dhcpcheck: error: -: not a pcap or pcapng file (starts with 0x6a756e6b)\n"
    )


@pytest.mark.parametrize("path", ["/nonexistent.pcap", "/"])
def test_a_path_that_is_no_file_is_one_line(path: str) -> None:
    status, _, err = invoke("show", path)
    assert status == ExitStatus.ERROR
    assert err.count("\n") == 1
    assert err.startswith(f"dhcpcheck: error: {path}: ")


def test_an_unknown_link_type_is_read_and_selects_nothing(tmp_path: Path) -> None:
    path = tmp_path / "user0.pcap"
    path.write_bytes(_linktype(147))
    assert invoke("show", str(path)) == (ExitStatus.OK, "", "")
    status, out, err = invoke("analyze", "--format", "json", str(path))
    counts = json.loads(out)["summary"]["total"]
    assert (status, err, counts["frames"], counts["messages"]) == (0, "", 4, 0)


def test_pcapng_blocks_of_unknown_type_and_version_are_skipped(tmp_path: Path) -> None:
    unknown = tmp_path / "unknown-block.pcapng"
    unknown.write_bytes(
        shb("<") + idb("<") + block("<", 0x0BAD, b"xyz") + epb("<", 0, 0, FIRST)
    )
    status, out, err = invoke("show", "-t", str(unknown))
    assert (status, err) == (ExitStatus.OK, "")
    assert out.startswith("IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request")
    future = tmp_path / "version-2.pcapng"
    future.write_bytes(shb("<", version=(2, 0)) + idb("<") + epb("<", 0, 0, FIRST))
    assert invoke("show", str(future)) == (ExitStatus.OK, "", "")


def _message(raw_options: bytes, sname: bytes = b"", min_length: int = 300) -> bytes:
    chaddr = "02:00:5e:10:00:01"
    message = Bootp(
        chaddr=chaddr, sname=sname, raw_options=raw_options, min_length=min_length
    )
    return message.encode()


DISCOVER = MAGIC_COOKIE + b"\x35\x01\x01"
# name: (UDP payload, the finding it must give, what `show -v` shows of it)
MALFORMED: dict[str, tuple[bytes, str, str]] = {
    "short-bootp": (_message(DISCOVER)[:100], "DHC101", "[|bootp]"),
    "bad-cookie": (
        _message(b"\x63\x82\x53\x64\x35\x01\x01\xff"),
        "DHC102",
        "Vendor-#0x63825364",
    ),
    "option-overrun": (
        _message(DISCOVER + b"\x0c\xffabc", min_length=0),
        "DHC103",
        "length 255:  [|bootp]",
    ),
    "no-end": (_message(DISCOVER + b"\x0c\x03abc", min_length=0), "DHC104", '"abc"'),
    "sub-option-lie": (
        _message(DISCOVER + b"\x52\x04\x01\xff\x00\x00\xff"),
        "DHC107",
        "length goes past end of option",
    ),
    "overload-9": (
        _message(DISCOVER + b"\x34\x01\x09\xff"),
        "DHC107",
        "OO (52), length 1: #9",
    ),
    "overloaded-sname-lie": (
        _message(DISCOVER + b"\x34\x01\x02\xff", sname=b"\x0c\xffab"),
        "DHC103",
        "OO (52), length 1: sname",
    ),
    "route-lie": (
        _message(DISCOVER + b"\x79\x03\x21\x0a\x00\xff"),
        "DHC105",
        "[ERROR: length < 5 bytes]",
    ),
    "empty-message-type": (
        _message(MAGIC_COOKIE + b"\x35\x00\xff"),
        "DHC105",
        "DHCP-Message (53), length 0",
    ),
}


def _capture(tmp_path: Path, name: str, payload: bytes) -> Path:
    frame = ethernet(udp_ipv4(payload, IPv4()), src="02:00:5e:10:00:01")
    stream = io.BytesIO()
    write_pcap(stream, [captured(1, 1_700_000_000 * 10**9, 1, frame)], 1)
    path = tmp_path / f"{name}.pcap"
    path.write_bytes(stream.getvalue())
    return path


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_message_is_a_finding(tmp_path: Path, name: str) -> None:
    payload, code, shown = MALFORMED[name]
    path = _capture(tmp_path, name, payload)
    status, out, err = invoke("lint", "--format", "jsonl", str(path))
    assert status == ExitStatus.FINDINGS
    assert code in [json.loads(line)["code"] for line in out.splitlines()]
    assert "dhcpcheck: error" not in err
    status, out, err = invoke("show", "-v", str(path))
    assert (status, err) == (ExitStatus.OK, "")
    assert shown in out


@pytest.mark.parametrize(
    "command",
    [["analyze"], ["analyze", "--format", "jsonl"], ["lint", "--format", "json"]],
)
def test_a_time_stamp_out_of_range_is_no_bug(command: list[str]) -> None:
    corpus = Path(__file__).parent / "fuzz" / "corpus" / "analyze"
    status, _, _ = invoke(*command, str(corpus / "time-past-year-9999.pcapng"))
    assert status in (ExitStatus.OK, ExitStatus.FINDINGS)


def test_show_prints_a_time_stamp_out_of_range_as_tcpdump_does() -> None:
    corpus = Path(__file__).parent / "fuzz" / "corpus" / "analyze"
    status, out, _ = invoke("show", str(corpus / "time-past-year-9999.pcapng"))
    assert status == ExitStatus.OK
    assert out.startswith("[Error converting time] IP 0.0.0.0.68 > 255.255.255.255.67")
