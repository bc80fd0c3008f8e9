"""The option table: complete, consistent, and naming options as tcpdump does."""

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dhcpcheck.decode.options import (
    MESSAGE_TYPES,
    OPTIONS,
    LengthRule,
    MessageType,
    OptionCode,
    ValueFormat,
    at_least,
    fixed,
    multiple_of,
)

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
HEAD = {
    "4.99.3": re.compile(r"^\t    (\S+) \((\d+)\), length", re.M),
    "4.9.3": re.compile(r"^\t    (\S+) Option (\d+), length", re.M),
}
MESSAGE = {
    "4.99.3": re.compile(
        r"^\t    DHCP-Message \(53\), length 1: ([A-Za-z]+( \(\d+\))?)", re.M
    ),
    "4.9.3": re.compile(
        r"^\t    DHCP-Message Option 53, length 1: ([A-Za-z]+( \(\d+\))?)", re.M
    ),
}


def corpus_texts(version: str) -> Iterator[str]:
    """Every -vvv text of one tcpdump version in the project's corpus."""
    for path in sorted(CORPUS.glob(f"*/*.{version}.n-vvv.txt*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="latin-1") as text:
            yield text.read()


def tcpdump_name(code: int, version: str) -> str:
    """The header name the table predicts for one release."""
    if version == "4.99.3":
        return OPTIONS[code].tcpdump.name or "Unknown"
    return OPTIONS[code].tcpdump_4_9.name or f"T{code}"


def test_every_code_has_its_row() -> None:
    assert len(OPTIONS) == 256
    assert [spec.code for spec in OPTIONS] == list(range(256))


def test_named_codes_have_rfc_titles_and_formats() -> None:
    for code in OptionCode:
        spec = OPTIONS[code]
        assert spec.title, code
        assert spec.value is not ValueFormat.GUESSED, code


def test_pad_and_end_have_no_length_octet() -> None:
    for code in (OptionCode.PAD, OptionCode.END):
        assert OPTIONS[code].value is ValueFormat.NONE
        assert OPTIONS[code].length == fixed(0)


def test_unnamed_options_are_printed_by_guess() -> None:
    for spec in OPTIONS:
        for label in (spec.tcpdump, spec.tcpdump_4_9):
            if label.name is None:
                assert label.value in (
                    ValueFormat.GUESSED,
                    ValueFormat.EXTENDED_REQUEST,
                    ValueFormat.EXTENDED_OPTION,
                )


def test_only_4_9_3_has_the_extended_code_options() -> None:
    assert OPTIONS[126].tcpdump_4_9.value is ValueFormat.EXTENDED_REQUEST
    assert OPTIONS[127].tcpdump_4_9.value is ValueFormat.EXTENDED_OPTION
    assert OPTIONS[126].tcpdump.value is ValueFormat.GUESSED
    assert OPTIONS[127].tcpdump.value is ValueFormat.GUESSED


@pytest.mark.parametrize(
    ("code", "name_4_99", "name_4_9"),
    [
        (1, "Subnet-Mask", "Subnet-Mask"),
        (53, "DHCP-Message", "DHCP-Message"),
        (91, "Last-Transaction-Time", "VINES"),
        (92, "Associated-IP", "RANK"),
        (108, "Unknown", "T108"),
        (116, "NOAUTO", "NOAUTO"),
        (119, "Unknown", "T119"),
        (249, "Classless-Static-Route-Microsoft", "Classless-Static-Route-Microsoft"),
    ],
)
def test_names_differ_between_releases_as_documented(
    code: int, name_4_99: str, name_4_9: str
) -> None:
    assert tcpdump_name(code, "4.99.3") == name_4_99
    assert tcpdump_name(code, "4.9.3") == name_4_9


@pytest.mark.parametrize("version", ["4.99.3", "4.9.3"])
def test_every_option_name_in_the_corpus_matches_the_table(version: str) -> None:
    seen: dict[int, set[str]] = {}
    for text in corpus_texts(version):
        for name, code in HEAD[version].findall(text):
            if int(code) < 256:  # 4.9.3 shows option 127's 16-bit codes too
                seen.setdefault(int(code), set()).add(name)
    assert len(seen) > 200
    for code, names in seen.items():
        assert names == {tcpdump_name(code, version)}, code


@pytest.mark.parametrize(
    ("version", "column"), [("4.99.3", "tcpdump"), ("4.9.3", "tcpdump_4_9")]
)
def test_message_type_names_match_the_corpus(version: str, column: str) -> None:
    shown = {
        name
        for text in corpus_texts(version)
        for name, _ in MESSAGE[version].findall(text)
    }
    named = {getattr(spec, column): value for value, spec in MESSAGE_TYPES.items()}
    unknown = {f"Unknown ({value})" for value in range(256)} - {
        f"Unknown ({value})" for name, value in named.items() if name
    }
    assert {"Discover", "Request", "ACK"} <= shown
    assert shown <= set(named) | unknown


def test_message_types_cover_1_to_18() -> None:
    assert sorted(MESSAGE_TYPES) == list(range(1, 19))
    assert MESSAGE_TYPES[MessageType.NAK].tcpdump == "NACK"
    assert MESSAGE_TYPES[MessageType.LEASEACTIVE].tcpdump == "LeaseActive"
    assert MESSAGE_TYPES[MessageType.LEASEACTIVE].tcpdump_4_9 is None


@pytest.mark.parametrize(
    ("rule", "allowed", "refused"),
    [
        (fixed(4), [4], [0, 3, 5, 8]),
        (multiple_of(4, 4), [4, 8, 252], [0, 2, 6, 255]),
        (multiple_of(8, 8), [8, 16], [4, 12]),
        (at_least(1), [1, 2, 255], [0]),
        (LengthRule(), [0, 1, 255], []),
    ],
)
def test_length_rules(rule: LengthRule, allowed: list[int], refused: list[int]) -> None:
    assert all(rule.allows(length) for length in allowed)
    assert not any(rule.allows(length) for length in refused)


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        (OptionCode.SUBNET_MASK, fixed(4)),
        (OptionCode.ROUTER, multiple_of(4, 4)),
        (OptionCode.STATIC_ROUTE, multiple_of(8, 8)),
        (OptionCode.HOSTNAME, at_least(1)),
        (OptionCode.MESSAGE_TYPE, fixed(1)),
        (OptionCode.MAX_MESSAGE_SIZE, fixed(2)),
        (OptionCode.CLIENT_ID, at_least(2)),
        (OptionCode.CLASSLESS_ROUTE, at_least(5)),
    ],
)
def test_rfc_length_rules(code: OptionCode, rule: LengthRule) -> None:
    assert OPTIONS[code].length == rule
