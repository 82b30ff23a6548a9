"""Normalisation, scoring and the index, without a database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from storo_compliance.lists.model import ListedName, ListEntry
from storo_compliance.matching.config import MatchConfig
from storo_compliance.matching.index import IndexedEntry, Query, WatchlistIndex
from storo_compliance.matching.normalise import normalise, skeleton
from storo_compliance.screening.decision import decide

CONFIG = MatchConfig()


def entry(entry_id: str, *names: str, **extra: object) -> IndexedEntry:
    listed = tuple(
        ListedName(n, "primary" if i == 0 else "alias") for i, n in enumerate(names)
    )
    subject: Any = extra.pop("subject", "individual")
    body = ListEntry(entry_id, subject, listed, **extra)  # type: ignore[arg-type]
    return IndexedEntry("ofac_sdn", body, body.fingerprint())


@pytest.fixture(scope="module")
def index() -> WatchlistIndex:
    return WatchlistIndex(
        [
            entry(
                "1",
                "AL-RASHID, Khalid Mahmoud",
                "ABU MAHMOUD",
                dates_of_birth=("1971-03-14",),
                countries=("IQ",),
            ),
            entry("2", "Dmitry Sergeyevich Volkov", "Дмитрий Сергеевич Волков"),
            entry("3", "PETROVSKY TRADING LLC", subject="organisation"),
            entry("4", "Mohammed Abdullah Hassan Farah"),
            entry("5", "KIM SONG CHOL"),
        ]
    )


def top(index: WatchlistIndex, name: str, **kw: object) -> tuple[str, int, str]:
    party_type = str(kw.pop("type", "individual"))
    query = Query(name, party_type, **kw)  # type: ignore[arg-type]
    outcome = decide(index.screen(query, CONFIG), CONFIG)
    if not outcome.candidates:
        return ("", 0, outcome.decision)
    best = outcome.candidates[0]
    return (best.entry_id, best.score, outcome.decision)


class TestNormalise:
    def test_comma_order_honorifics_and_punctuation(self) -> None:
        assert normalise("Sheikh AL-RASHID, Khalid").tokens == (
            "khalid",
            "al",
            "rashid",
        )

    def test_scripts_are_transliterated(self) -> None:
        assert normalise("Дмитрий Волков").tokens == ("dmitriy", "volkov")

    def test_legal_forms_dropped_for_organisations_only(self) -> None:
        assert normalise("Petrovsky Trading LLC", organisation=True).tokens == (
            "petrovsky",
            "trading",
        )
        assert "llc" in normalise("Petrovsky Trading LLC").tokens

    def test_transliteration_variants_share_a_skeleton(self) -> None:
        assert skeleton("mohammed") == skeleton("muhammad") == skeleton("mohamed")
        assert skeleton("yusuf") == skeleton("youssef")
        assert skeleton("ahmed") != skeleton("mohammed")


class TestScreening:
    def test_exact_name_in_other_order_is_denied(self, index: WatchlistIndex) -> None:
        assert top(index, "Khalid Mahmoud Al-Rashid")[::2] == ("1", "deny")

    def test_typo_still_matches(self, index: WatchlistIndex) -> None:
        entry_id, score, decision = top(index, "Khalid Mahmud Al Rashid")
        assert entry_id == "1" and decision != "clear" and score >= 85

    def test_cyrillic_query_matches_the_latin_entry(
        self, index: WatchlistIndex
    ) -> None:
        assert top(index, "Дмитрий Сергеевич Волков")[::2] == ("2", "deny")

    def test_missing_middle_name_is_reviewed_at_least(
        self, index: WatchlistIndex
    ) -> None:
        entry_id, _, decision = top(index, "Mohammed Hassan Farah")
        assert entry_id == "4" and decision in {"review", "deny"}

    def test_unrelated_common_name_is_clear(self, index: WatchlistIndex) -> None:
        assert top(index, "Thabo Mokoena")[2] == "clear"

    def test_one_word_query_cannot_deny(self, index: WatchlistIndex) -> None:
        assert top(index, "Volkov")[2] == "clear"

    def test_matching_birth_date_raises_a_mismatch_lowers(
        self, index: WatchlistIndex
    ) -> None:
        name = "Khalid Mahmoud Al-Rashid"
        same = top(index, name, date_of_birth=date(1971, 3, 14))[1]
        other = top(index, name, date_of_birth=date(1990, 1, 1))[1]
        plain = top(index, name)[1]
        assert other < plain <= same

    def test_organisation_screened_as_individual_scores_lower(
        self, index: WatchlistIndex
    ) -> None:
        as_org = top(index, "Petrovsky Trading", type="organisation")
        as_person = top(index, "Petrovsky Trading")
        assert as_org[0] == "3" and as_org[1] > as_person[1]

    def test_candidates_explain_alias_and_adjustments(
        self, index: WatchlistIndex
    ) -> None:
        query = Query("Abu Mahmoud", "individual", "IQ", date(1971, 3, 14))
        best = index.screen(query, CONFIG)[0]
        assert best.name_kind == "alias" and best.matched_name == "ABU MAHMOUD"
        joined = " | ".join(best.reasons)
        assert "matched an alias" in joined
        assert "date of birth 1971-03-14 matches" in joined
        assert "country IQ is linked" in joined

    def test_ruled_out_candidate_does_not_count(self, index: WatchlistIndex) -> None:
        candidates = index.screen(Query("KIM SONG CHOL", "individual"), CONFIG)
        candidates[0].ruled_out = True
        outcome = decide(candidates, CONFIG)
        assert outcome.decision == "clear"
        assert outcome.candidates[0].entry_id == "5"  # still shown
