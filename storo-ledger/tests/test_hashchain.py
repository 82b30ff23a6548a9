"""The chain on its own: links recompute, and any change is named."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from storo_ledger.journal import hashchain
from storo_ledger.journal.lines import Line

START = datetime(2026, 12, 3, 10, 0, 0, 123456, tzinfo=UTC)


def chain(count: int) -> list[hashchain.StoredEntry]:
    entries, prev = [], hashchain.GENESIS
    for n in range(1, count + 1):
        lines = (
            Line("funding:deposits:ZAR", "debit", "posted", n * 100, "ZAR"),
            Line("customer:A:ZAR", "credit", "posted", n * 100, "ZAR"),
        )
        at = START + timedelta(seconds=n)
        body = hashchain.body(
            entry_id=f"e{n}",
            kind="post",
            transfer_id=None,
            source_event_id=None,
            lines=lines,
        )
        digest = hashchain.link(prev, n, at, body)
        entries.append(
            hashchain.StoredEntry(
                n, f"e{n}", "post", None, None, at, prev, digest, lines
            )
        )
        prev = digest
    return entries


class TestVerify:
    def test_an_untouched_chain_verifies(self) -> None:
        result = hashchain.verify(chain(5))
        assert result.ok
        assert result.checked == 5

    def test_a_changed_amount_names_its_entry(self) -> None:
        entries = chain(5)
        bad = entries[2]
        lines = (replace(bad.lines[0], amount=1), replace(bad.lines[1], amount=1))
        entries[2] = replace(bad, lines=lines)
        result = hashchain.verify(entries)
        assert result.first_break is not None
        assert (result.first_break.seq, result.first_break.entry_id) == (3, "e3")
        assert result.checked == 2

    def test_a_removed_entry_breaks_the_sequence(self) -> None:
        entries = chain(4)
        del entries[1]
        result = hashchain.verify(entries)
        assert result.first_break is not None
        assert result.first_break.entry_id == "e3"

    def test_a_rehashed_entry_still_breaks_its_successor(self) -> None:
        entries = chain(3)
        forged = replace(entries[1], hash="f" * 64)
        entries[1] = forged
        result = hashchain.verify(entries)
        assert result.first_break is not None
        assert result.first_break.seq == 2

    def test_timestamps_format_like_postgres_to_char(self) -> None:
        assert hashchain.timestamp(START) == "2026-12-03T10:00:00.123456Z"
