"""The report of `trace`: exact text at fixed widths, and the JSON document,
on the captures the lab recorded at several points at once."""

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from dhcpcheck.capture import read_frames
from dhcpcheck.report.trace import trace_document, write_trace
from dhcpcheck.trace.follow import follow
from dhcpcheck.trace.model import OrderChoice, Point, Trace
from dhcpcheck.trace.points import collect

pytestmark = pytest.mark.usefixtures("utc")

SAMPLES = Path(__file__).parents[2] / "samples" / "trace"
WIRE = "[bold red]x\x1b[2J"  # markup and a clear-screen escape in a name
SHOWN = "[bold red]x\\x1b[2J"


def sample(scenario: str, *names: str) -> list[Point]:
    """Points NAME=samples/trace/SCENARIO-NAME.pcap, file names relative."""
    points = []
    for name in names:
        file = f"samples/trace/{scenario}-{name}.pcap"
        frames = read_frames(str(SAMPLES / f"{scenario}-{name}.pcap"))
        points.append(collect(name, file, frames))
    return points


def rendered(trace: Trace, width: int = 100, colour: bool = False) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
    )
    write_trace(console, trace)
    return "\n".join(line.rstrip() for line in out.getvalue().split("\n"))


LOST_OFFER = """\
Points, client side first (clocks against server)
  client  ethernet    5 messages  +0.000000 s ± 0.000005
          samples/trace/lost-offer-client.pcap
  bridge  ethernet    6 messages  +0.000000 s ± 0.000003
          samples/trace/lost-offer-bridge.pcap
  server  linux_sll2  6 messages  reference
          samples/trace/lost-offer-server.pcap

Order: client > bridge > server (from the evidence)

Messages (delay from the previous point, +held there, ms)
time             xid         message     client   bridge   server
──────────────────────────────────────────────────────────────────
18:01:39.683642  0xb0830c1e  DISCOVER →  ✓        ✓ 0.014  ✓ 0.023
18:01:39.684012  0xb0830c1e  OFFER ←     ✗        ✓ 0.004  ✓
18:01:43.039374  0xb0830c1e  DISCOVER →  ✓        ✓ 0.013  ✓ 0.015
18:01:43.039705  0xb0830c1e  OFFER ←     ✓ 0.003  ✓ 0.003  ✓
18:01:43.039821  0xb0830c1e  REQUEST →   ✓        ✓ 0.001  ✓ 0.002
18:01:43.040626  0xb0830c1e  ACK ←       ✓ 0.003  ✓ 0.003  ✓

Lost messages (1)
  DHC501 message-lost: offer 0xb0830c1e left server, seen on bridge, never on client
    frames server 2, bridge 2  client 00:00:5e:00:53:10
"""


def test_the_lost_offer_at_88_columns() -> None:
    trace = follow(sample("lost-offer", "server", "bridge", "client"))
    assert rendered(trace, width=88) == LOST_OFFER


def test_each_file_stays_on_its_points_line_where_there_is_room() -> None:
    trace = follow(sample("lost-offer", "server", "bridge", "client"))
    line = "  server  linux_sll2  6 messages  reference               "
    assert line + "samples/trace/lost-offer-server.pcap" in rendered(trace, width=96)


def test_a_relay_shows_the_time_it_held_each_message() -> None:
    trace = follow(sample("relay-path", "relay", "client-side", "server-side"))
    lines = rendered(trace, width=80).split("\n")
    assert lines[8] == "Order: client-side > relay > server-side (from the evidence)"
    rows = [line.split() for line in lines if "0xfbf66418" in line]
    assert [row[2:] for row in rows] == [
        ["DISCOVER", "→", "✓", "✓", "0.017+0.189", "✓", "0.012"],
        ["OFFER", "←", "✓", "0.016", "✓", "0.010+0.117", "✓"],
        ["REQUEST", "→", "✓", "✓", "0.006+0.069", "✓", "0.003"],
        ["ACK", "←", "✓", "0.004", "✓", "0.008+0.090", "✓"],
    ]
    assert lines[-2] == "Lost messages: none"


def test_names_are_escaped_not_read_as_markup() -> None:
    (server,) = sample("lost-offer", "server")
    named = Point(WIRE, server.file, server.messages, server.linktypes)
    text = rendered(follow([named, *sample("lost-offer", "bridge")]))
    assert "\x1b" not in text
    assert f"  {SHOWN}  linux_sll2  6 messages  reference" in text
    assert re.search(rf"message +bridge +{re.escape(SHOWN)}\n", text)
    assert f"Order: bridge > {SHOWN} (from the evidence)" in text


def test_the_lost_cell_is_marked_in_colour() -> None:
    text = rendered(
        follow(sample("lost-offer", "client", "bridge", "server")), colour=True
    )
    assert "\x1b[1;31m✗\x1b[0m" in text


def test_one_point_and_no_messages() -> None:
    empty = Point("tap", "tap.pcap", ())
    assert rendered(follow([empty])) == "\n".join(
        [
            "Points, client side first (clocks against tap)",
            "  tap  -  0 messages  reference  tap.pcap",
            "",
            "Order: one point",
            "",
            "Messages: none",
            "",
            "Lost messages: none",
            "",
        ]
    )


def test_doubts_are_listed_under_the_order() -> None:
    trace = follow(sample("lost-offer", "server", "client"), OrderChoice.GIVEN)
    text = rendered(trace)
    assert "Order: server > client (as given)" in text
    assert "  uncertain: clock of client unknown" in text
    assert "  uncertain: the evidence puts client nearer the client than server" in text


def test_the_json_document() -> None:
    trace = follow(sample("lost-offer", "server", "bridge", "client"))
    document = json.loads(json.dumps(trace_document(trace)))
    assert document["summary"] == {
        "points": 3,
        "transactions": 1,
        "messages": 6,
        "lost": 1,
    }
    assert document["reference"] == "server"
    assert document["order"]["points"] == ["client", "bridge", "server"]
    assert document["order"]["certain"] is True
    assert [hop["basis"] for hop in document["order"]["hops"]] == ["evidence"] * 2
    server = document["points"][0]
    assert server["link_types"] == ["linux_sll2"]
    assert server["clock"] == {"offset": 0.0, "error": 0.0}
    (txn,) = document["transactions"]
    assert txn["xid"] == "0xb0830c1e"
    offer = txn["messages"][1]
    assert offer["type"] == "offer"
    assert offer["direction"] == "to-client"
    assert [step["point"] for step in offer["path"]] == ["server", "bridge", "client"]
    assert [step["seen"] for step in offer["path"]] == [True, True, False]
    assert offer["path"][0]["delay"] is None
    assert offer["path"][1]["delay"] == pytest.approx(4e-6, abs=1e-6)
    assert (offer["lost_after"], offer["never_on"]) == ("bridge", "client")
    (finding,) = document["findings"]
    assert finding["code"] == "DHC501"
    assert finding["name"] == "message-lost"
    assert finding["severity"] == "warning"
    assert finding["point"] == "bridge"
    assert finding["never_on"] == "client"
    assert finding["frames"] == [2]
    assert finding["frames_by_point"] == {"server": [2], "bridge": [2]}
    assert re.fullmatch(r"2026-12-03T18:01:39\.\d{6}Z", finding["time"])


def test_hops_on_different_grounds_are_listed_each() -> None:
    client, bridge = sample("lost-offer", "client", "bridge")
    later = [replace(seen, time=seen.time + 1e-5) for seen in bridge.messages]
    one_way = Point("tap", "tap.pcap", tuple(s for s in later if s.from_client))
    text = rendered(follow([client, bridge, one_way]))
    assert "Order: client > bridge > tap\n" in text
    assert "  client > bridge: from the evidence\n" in text
    assert "  bridge > tap: assuming the clocks agree\n" in text
    assert "  uncertain: clock of tap unknown\n" in text
