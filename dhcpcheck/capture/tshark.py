"""A second reader of capture files: Wireshark's, through tshark and pyshark.

Yields the same Frames as `read_frames`, so that `--engine tshark` and the
differential tests can hold our reader against one written independently.
It takes frames only; tshark's dissection of them is not used.
"""

import asyncio
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import pyshark  # type: ignore[import-untyped]
from pyshark.capture.capture import (  # type: ignore[import-untyped]
    TSharkCrashException,
)

from dhcpcheck.capture.errors import CaptureError
from dhcpcheck.capture.frame import Frame
from dhcpcheck.capture.linktype import LinkType
from dhcpcheck.capture.source import STDIN

NSEC_DIGITS = 9
INSTALL_TSHARK = "tshark not found: install the Debian package tshark"
LAST_LINE = "Last error line:"  # how pyshark quotes what tshark wrote last
ENDING = 10.0  # seconds tshark has to end by itself after its last output

# Wiretap's encapsulation numbers (frame.encap_type) for the link types that
# LinkType lists, as tshark 4.0 reports them for one-frame files of each type.
# Wiretap maps some link types to one encapsulation (LINKTYPE_RAW 101 and the
# older DLT_RAW values 12 and 14 all become 7): those read back as the first.
ENCAP_LINKTYPES: dict[int, LinkType] = {
    15: LinkType.NULL,
    1: LinkType.ETHERNET,
    4: LinkType.PPP,
    7: LinkType.RAW,
    20: LinkType.IEEE802_11,
    174: LinkType.LOOP,
    25: LinkType.LINUX_SLL,
    23: LinkType.IEEE802_11_RADIOTAP,
    129: LinkType.IPV4,
    130: LinkType.IPV6,
    210: LinkType.LINUX_SLL2,
}


def tshark_frames(path: str) -> Iterator[Frame]:
    """Yield the frames of the capture at ``path`` as tshark reads them.

    Raises CaptureError when tshark is missing or cannot read the file, or
    gives a frame no time (it opens MIME and JSON files as frames too);
    ``frames_read`` counts the frames delivered before.
    """
    if path == STDIN:
        raise CaptureError("the tshark engine reads files, not standard input")
    capture = _open(path)
    number = 0
    try:
        for packet in capture:
            number += 1
            yield packet_frame(packet)
    except KeyError:
        # pyshark cannot build a packet without a time: a Simple Packet
        # Block, or a file that tshark reads as frames of another kind.
        message = f"frame {number + 1} has no time stamp, which pyshark cannot read"
        raise _error(message, number) from None
    except CaptureError as error:
        raise _error(str(error), number - 1) from None
    except TSharkCrashException as crash:
        raise _error(_said(str(crash), path), number) from None
    finally:
        said = _close(capture)
    if said is not None:
        raise _error(_said(said, path), number)


class _FileCapture(pyshark.FileCapture):  # type: ignore[misc]
    """pyshark's file capture, letting tshark end by itself at the end of the file.

    pyshark stops tshark by killing it unless its event loop has already
    heard of its end. But Popen's kill first polls the process, and so reaps
    one that has just ended behind the child watcher's back; the watcher
    then finds no such child and reports exit status 255, which pyshark takes
    for a crash. Waiting runs the loop, and the watcher hears of the end.
    """

    async def _cleanup_subprocess(self, process: Any) -> None:
        if self._eof_reached and process.returncode is None:
            with suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), ENDING)
        await super()._cleanup_subprocess(process)


def _open(path: str) -> Any:
    # Named here, because pyshark would otherwise take the tshark named in
    # any config.ini in the working directory first.
    tshark = shutil.which("tshark")
    if tshark is None:
        raise CaptureError(INSTALL_TSHARK)
    try:
        return _FileCapture(
            path,
            use_json=True,
            include_raw=True,
            keep_packets=False,
            tshark_path=tshark,
        )
    except FileNotFoundError:
        # pyshark has set up its event loop and child watcher by now.
        _restore_signals()
        raise CaptureError("No such file or directory") from None


def _close(capture: Any) -> str | None:
    """Stop tshark; return pyshark's complaint if tshark failed."""
    try:
        capture.close()
    except TSharkCrashException as crash:
        return str(crash)
    finally:
        # pyshark forgets no process it started, even one that failed, and
        # would report the failure again when the capture is collected.
        capture._running_processes.clear()
        _restore_signals()
    return None


def _restore_signals() -> None:
    """Undo what pyshark did to this process's signals: it leaves a child
    watcher on its event loop, whose SIGCHLD handler writes to a wake-up
    pipe nobody reads, and fails at every later child's exit once it fills."""
    asyncio.get_child_watcher().close()
    # Closing it may leave asyncio's no-op handler and wake-up pipe in
    # place; give the process back the signal state it had.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)


def _said(complaint: str, path: str) -> str:
    """The last line tshark wrote, as pyshark quotes it, without the file name."""
    lines = complaint.splitlines()
    last = next((line for line in lines if line.startswith(LAST_LINE)), "")
    said = last.removeprefix(LAST_LINE).strip().removeprefix("tshark: ")
    return said.replace(f' "{path}"', "")


def _error(message: str, frames_read: int) -> CaptureError:
    error = CaptureError(message or "tshark failed")
    error.frames_read = frames_read
    return error


def packet_frame(packet: Any) -> Frame:
    """The Frame of one pyshark packet read with ``use_json`` and ``include_raw``."""
    info = packet.frame_info
    number = int(info.number)
    encap = int(info.encap_type)
    linktype = ENCAP_LINKTYPES.get(encap)
    if linktype is None:
        raise CaptureError(
            f"frame {number}: tshark's encapsulation {encap} has no link type here"
        )
    ts_sec, ts_nsec = epoch_time(info.time_epoch)
    data = bytes.fromhex(packet.frame_raw.value)
    return Frame(number, ts_sec, ts_nsec, linktype, data, int(info.len))


def epoch_time(text: str) -> tuple[int, int]:
    """Split tshark's ``frame.time_epoch``, ``1623162713.831654000``, exactly."""
    seconds, _, fraction = text.partition(".")
    digits = fraction[:NSEC_DIGITS].ljust(NSEC_DIGITS, "0")
    if not (seconds.lstrip("-").isdigit() and digits.isdigit()):
        raise CaptureError(f"tshark gave a time that is not one: {text!r}")
    return int(seconds), int(digits)
