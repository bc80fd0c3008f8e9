"""No transaction rule raises on odd transactions, and every hit is well formed.

Odd means: replies alone, unknown or missing message types, options of any
length (empty, short, joined), addresses and ports of any leg, times in any
spacing. Hypothesis builds them; the real tracker groups them.
"""

from hypothesis import given, settings
from hypothesis import strategies as st
from rules.transaction.build import Messages, run, track

from dhcpcheck.rules.base import TransactionRule
from dhcpcheck.rules.transaction import RULES

CODES = (1, 3, 6, 50, 51, 54, 55, 56, 58, 59, 61, 80, 82, 108, 121)
ADDRESSES = ("0.0.0.0", "255.255.255.255", "192.0.2.1", "192.0.2.107", "10.0.0.1")

options = st.lists(st.tuples(st.sampled_from(CODES), st.binary(max_size=9)), max_size=6)
message = st.fixed_dictionaries(
    {
        "gap": st.floats(min_value=0, max_value=80, allow_nan=False),
        "kind": st.one_of(st.none(), st.integers(0, 20), st.just(200)),
        "options": options,
        "op": st.integers(0, 3),
        "xid": st.sampled_from((1, 2)),
        "chaddr": st.sampled_from(("02:00:00:00:00:01", "02:00:00:00:00:02")),
        "secs": st.integers(0, 0xFFFF),
        "flags": st.sampled_from((0, 0x8000, 0x7FFF)),
        "ciaddr": st.sampled_from(ADDRESSES),
        "yiaddr": st.sampled_from(ADDRESSES),
        "giaddr": st.sampled_from(ADDRESSES),
        "src": st.sampled_from(ADDRESSES),
        "dst": st.sampled_from(ADDRESSES),
        "sport": st.sampled_from((67, 68, 4011)),
        "dport": st.sampled_from((67, 68, 4011)),
    }
)


@settings(max_examples=300, deadline=None)
@given(st.lists(message, min_size=1, max_size=12))
def test_rules_never_raise_and_hits_are_well_formed(
    drawn: list[dict[str, object]],
) -> None:
    build = Messages()
    time = 0.0
    messages = []
    for fields in drawn:
        fields = dict(fields)
        gap = fields.pop("gap")
        assert isinstance(gap, float)
        time += gap
        kind = fields.pop("kind")
        assert kind is None or isinstance(kind, int)
        messages.append(build(time, kind, **fields))
    for txn in track(messages):
        frames = {step.seen.frame for step in txn.steps}
        for rule in RULES:
            assert isinstance(rule, TransactionRule)
            for hit in run(rule, txn):
                assert hit.message and hit.message[0].islower(), hit
                assert not hit.message.endswith("."), hit
                assert hit.frames and set(hit.frames) <= frames, hit
                assert (hit.xid, hit.client) == (txn.xid, txn.client_mac)


def test_every_rule_is_a_documented_transaction_rule() -> None:
    codes = [rule.code for rule in RULES]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert all("DHC201" <= code <= "DHC299" for code in codes)
    for rule in RULES:
        assert rule.doc.startswith(f"{rule.name}: "), rule.name
        assert "https://www.rfc-editor.org/rfc/" in rule.doc, rule.name
        assert "Settings:" in rule.doc, rule.name
        for name in rule.settings:
            assert name in rule.doc, (rule.name, name)
