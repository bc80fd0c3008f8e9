"""`watch` as the command line runs it, for the live tests to start inside a
lab namespace: JSON lines on stdout, `capturing` on stderr once dumpcap has
opened every interface, and watch's exit status.

Usage: watcher.py [--until bound|finding] [--duration S] [-w FILE] IFACE...
"""

import argparse
import sys
import time

from dhcpcheck.capture import CaptureError
from dhcpcheck.capture.live import Limits, LiveCapture
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.dashboard import Goal, JsonLines, Timeline, Until, watch
from dhcpcheck.rules.base import Severity
from dhcpcheck.status import ExitStatus


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("interfaces", nargs="+")
    parser.add_argument("--until", type=Until)
    parser.add_argument("--duration", type=float)
    parser.add_argument("-w", dest="write")
    args = parser.parse_args()
    analysis = Analysis(load_config(None), ",".join(args.interfaces), streaming=True)
    view = JsonLines(analysis, sys.stdout)
    goal = Goal(args.until, Severity.ERROR)
    try:
        with LiveCapture(args.interfaces, save=args.write) as capture:
            print("capturing", file=sys.stderr, flush=True)
            frames = capture.frames(Limits(duration=args.duration))
            return watch(frames, analysis, view, goal, Timeline(time.time()))
    except CaptureError as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitStatus.ERROR


if __name__ == "__main__":
    sys.exit(main())
