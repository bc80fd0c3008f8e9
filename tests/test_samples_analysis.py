"""What analyze makes of every committed sample: transactions, leases and
exactly which warnings and errors fire. Clean exchanges give none; the
others give only the true findings their README describes."""

from ipaddress import IPv4Address
from pathlib import Path

import pytest

from dhcpcheck.capture import read_frames
from dhcpcheck.config import load_config
from dhcpcheck.pipeline import Analysis
from dhcpcheck.report.records import transaction_address, transaction_server
from dhcpcheck.rules.base import Finding, Severity
from dhcpcheck.transactions.model import Transaction

SAMPLES = Path(__file__).parents[1] / "samples"
# sample: ([(kind, outcome, address, server)], warning-or-worse rule codes)
EXPECTED = {
    "openstack-dora.pcap": ([("dora", "bound", "1.1.1.13", "1.1.1.2")], set()),
    "lab/dora-dnsmasq-dhclient.pcap": (
        [("dora", "bound", "192.0.2.107", "192.0.2.1")],
        set(),
    ),
    "lab/dora-dnsmasq-dhcpcd.pcap": (
        [("dora", "bound", "192.0.2.107", "192.0.2.1")],
        set(),
    ),
    "lab/dora-kea-dhclient.pcap": (
        [("dora", "bound", "192.0.2.200", "192.0.2.1")],
        set(),
    ),
    # udhcpc sends option 61, dnsmasq 2.90 does not echo it (RFC 6842); the
    # lab's -T 2 makes udhcpc resend before RFC 2131's 4 s.
    "lab/dora-dnsmasq-udhcpc.pcap": (
        [("dora", "bound", "192.0.2.107", "192.0.2.1")],
        {"DHC211", "DHC216"},
    ),
    "lab/renew.pcap": (
        [
            ("dora", "bound", "192.0.2.200", "192.0.2.1"),
            ("renew", "bound", "192.0.2.200", "192.0.2.1"),
        ],
        set(),
    ),
    # The lab blocks unicast to the server: the renewals go unanswered.
    "lab/rebind.pcap": (
        [
            ("dora", "bound", "192.0.2.200", "192.0.2.1"),
            ("renew", "no-ack", "192.0.2.200", "192.0.2.1"),
            ("rebind", "bound", "192.0.2.200", "192.0.2.1"),
        ],
        {"DHC202"},
    ),
    "lab/nak.pcap": (
        [
            ("init-reboot", "nak", "203.0.113.55", "192.0.2.1"),
            ("dora", "bound", "192.0.2.107", "192.0.2.1"),
        ],
        {"DHC203"},
    ),
    "lab/release.pcap": (
        [
            ("dora", "bound", "192.0.2.107", "192.0.2.1"),
            ("release", "released", "192.0.2.107", "192.0.2.1"),
        ],
        set(),
    ),
    "lab/inform.pcap": ([("inform", "informed", "192.0.2.50", "192.0.2.1")], set()),
    "lab/decline.pcap": (
        [
            ("dora", "bound", "192.0.2.150", "192.0.2.1"),
            ("decline", "declined", "192.0.2.150", "192.0.2.1"),
            ("dora", "bound", "192.0.2.107", "192.0.2.1"),
        ],
        {"DHC307"},
    ),
    "lab/two-servers.pcap": (
        [("dora", "bound", "192.0.2.200", "192.0.2.2")],
        {"DHC401"},
    ),
    # dnsmasq, authoritative, NAKs the REQUEST that chose kea.
    "lab/two-servers-nak.pcap": (
        [("dora", "bound", "192.0.2.200", "192.0.2.2")],
        {"DHC401", "DHC203", "DHC205"},
    ),
    "lab/relay-client-side.pcap": (
        [("dora", "bound", "192.0.2.107", "198.51.100.2")],
        set(),
    ),
    "lab/relay-server-side.pcap": (
        [("dora", "bound", "192.0.2.107", "198.51.100.2")],
        set(),
    ),
    "lab/no-server.pcap": ([("dora", "no-offer", None, None)], {"DHC201"}),
}


def analyzed(sample: str) -> tuple[Analysis, list[Transaction], list[Finding]]:
    path = str(SAMPLES / sample)
    analysis = Analysis(load_config(None), path)
    events = list(analysis.run(read_frames(path)))
    transactions = [e for e in events if isinstance(e, Transaction)]
    return analysis, transactions, [e for e in events if isinstance(e, Finding)]


def summary(txn: Transaction) -> tuple[str, str, str | None, str | None]:
    address, server = transaction_address(txn), transaction_server(txn)
    return (
        txn.kind,
        txn.outcome,
        None if address is None else str(address),
        None if server is None else str(server),
    )


@pytest.mark.parametrize("sample", EXPECTED)
def test_transactions_and_findings(sample: str) -> None:
    transactions, codes = EXPECTED[sample]
    _, found_transactions, findings = analyzed(sample)
    ordered = sorted(found_transactions, key=lambda txn: txn.start)
    assert [summary(txn) for txn in ordered] == transactions
    serious = {f.code for f in findings if f.severity >= Severity.WARNING}
    assert serious == codes


def test_every_sample_is_pinned() -> None:
    committed = {str(p.relative_to(SAMPLES)) for p in SAMPLES.glob("**/*.pcap")}
    assert committed - set(EXPECTED) == {
        "lab/many-clients.pcap",  # below
        *(f"trace/{p.name}" for p in (SAMPLES / "trace").glob("*.pcap")),
    }


def test_many_clients_each_get_a_lease() -> None:
    analysis, transactions, findings = analyzed("lab/many-clients.pcap")
    assert len(transactions) == 32
    assert {(t.kind, t.outcome) for t in transactions} == {("dora", "bound")}
    leases = [lease for client in analysis.clients for lease in client.leases]
    assert len({lease.address for lease in leases}) == 32
    assert {f.code for f in findings if f.severity >= Severity.WARNING} == {"DHC211"}


def test_seed_latencies_and_lease_timing() -> None:
    analysis, (txn,), _ = analyzed("openstack-dora.pcap")
    assert txn.latency.offer == pytest.approx(0.000502, abs=1e-6)
    assert txn.latency.request == pytest.approx(0.026961, abs=1e-6)
    assert txn.latency.ack == pytest.approx(0.013260, abs=1e-6)
    assert txn.latency.total == pytest.approx(0.040723, abs=1e-6)
    (client,) = analysis.clients
    (lease,) = client.leases
    assert (lease.lease_time, lease.t1, lease.t2) == (86400, 43200, 75600)
    assert lease.server == IPv4Address("1.1.1.2")
    assert lease.renew_at == pytest.approx(lease.start + 43200)


def test_renewal_comes_at_t1_and_rebind_after_t2() -> None:
    analysis, _, _ = analyzed("lab/renew.pcap")
    (client,) = analysis.clients
    first = client.leases[0]
    assert (first.lease_time, first.t1, first.t2) == (20, 10, 17)
    (renewal,) = first.renewals
    assert renewal.start - first.start == pytest.approx(10, abs=1.0)

    analysis, _, _ = analyzed("lab/rebind.pcap")
    (client,) = analysis.clients
    first = client.leases[0]
    assert len(first.renewals) == 1 and len(first.rebinds) == 1
    assert first.rebinds[0].start - first.start >= 17
