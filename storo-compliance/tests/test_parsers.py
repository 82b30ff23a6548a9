"""Parsers on files written in the publishers' own formats."""

from __future__ import annotations

import pytest

from storo_compliance.lists.model import ListFileInvalid
from storo_compliance.lists.parsers import PARSERS
from tests.conftest import sample_files


def by_id(name: str) -> dict:  # type: ignore[type-arg]
    parsed = PARSERS[name](sample_files(name))  # type: ignore[index]
    return {e.entry_id: e for e in parsed.entries}


class TestOfac:
    def test_aliases_programs_and_null_marker(self) -> None:
        entries = by_id("ofac_sdn")
        rashid = entries["1001"]
        assert rashid.subject == "individual"
        assert [n.name for n in rashid.names] == [
            "AL-RASHID, Khalid Mahmoud",
            "AL RASHEED, Khaled",
            "ABU MAHMOUD",
        ]
        assert rashid.programs == ("SDGT", "IRGC")
        assert rashid.dates_of_birth == ("1971-03-14", "1972")
        assert rashid.countries == ("IQ",)
        assert entries["1007"].subject == "organisation"
        assert entries["1007"].remarks is None  # "-0-" is null

    def test_truncated_remark_is_completed_from_comments(self) -> None:
        remarks = by_id("ofac_sdn")["1004"].remarks
        assert remarks is not None
        assert "expires 01 Jan 2030; Website" in remarks

    def test_windows_1252_accents_are_read(self) -> None:
        assert by_id("ofac_sdn")["1006"].primary_name == "MORENO GUTIÉRREZ, José Luis"

    def test_date_range_keeps_both_years(self) -> None:
        assert by_id("ofac_sdn")["1008"].dates_of_birth == ("1958", "1960")

    def test_wrong_field_count_is_refused_with_its_line(self) -> None:
        files = sample_files("ofac_sdn")
        lines = files["sdn.csv"].split(b"\r\n")
        lines[2] = b'1003,"OCEAN STAR",vessel'
        files["sdn.csv"] = b"\r\n".join(lines)
        with pytest.raises(ListFileInvalid) as caught:
            PARSERS["ofac_sdn"](files)
        assert (caught.value.file, caught.value.line) == ("sdn.csv", 3)
        assert "expected 12 fields, found 3" in caught.value.reason

    def test_alias_of_unknown_entry_is_refused(self) -> None:
        files = sample_files("ofac_sdn")
        files["alt.csv"] += b'9999,1,"aka","NOBODY",-0- \r\n'
        with pytest.raises(ListFileInvalid) as caught:
            PARSERS["ofac_sdn"](files)
        assert caught.value.file == "alt.csv"
        assert "9999" in caught.value.reason

    def test_empty_name_is_refused(self) -> None:
        files = {"sdn.csv": b"1,-0- ,individual,SDGT" + b",-0- " * 8 + b"\r\n"}
        with pytest.raises(ListFileInvalid, match="SDN_Name is empty"):
            PARSERS["ofac_sdn"](files)


class TestUn:
    def test_original_script_and_alias_qualities(self) -> None:
        parsed = PARSERS["un_consolidated"](sample_files("un_consolidated"))
        assert parsed.published_at is not None
        assert parsed.published_at.isoformat() == "2026-12-01"
        entry = {e.entry_id: e for e in parsed.entries}["QDi.901"]
        kinds = [(n.name, n.quality) for n in entry.names]
        assert ("عبد الرحمن ياسين الحمادي", "original_script") in kinds
        assert ("Abu Yasin", "Low") in kinds
        # the empty ALIAS_NAME is skipped, not loaded as a blank name
        assert all(n.name for n in entry.names)
        assert entry.countries == ("IQ", "SY")

    def test_missing_fields_and_year_ranges(self) -> None:
        entries = by_id("un_consolidated")
        assert entries["CDi.903"].dates_of_birth == ("1970", "1972")
        assert entries["KPi.902"].dates_of_birth == ("1968",)
        assert entries["QDe.904"].subject == "organisation"

    def test_malformed_xml_is_refused_with_its_line(self) -> None:
        body = sample_files("un_consolidated")["un_consolidated.xml"]
        broken = body.replace(b"</FIRST_NAME>", b"</FIRST>", 1)
        with pytest.raises(ListFileInvalid) as caught:
            PARSERS["un_consolidated"]({"un.xml": broken})
        assert caught.value.line == 7
        assert "not well-formed" in caught.value.reason

    def test_row_without_dataid_is_refused(self) -> None:
        body = sample_files("un_consolidated")["un_consolidated.xml"]
        broken = body.replace(b"<DATAID>6908002</DATAID>", b"", 1)
        with pytest.raises(ListFileInvalid, match="no DATAID") as caught:
            PARSERS["un_consolidated"]({"un.xml": broken})
        assert caught.value.line == 29  # the <INDIVIDUAL> opening the row


class TestEu:
    def test_cyrillic_alias_weak_alias_and_circa_year(self) -> None:
        entries = by_id("eu_consolidated")
        volkov = entries["EU.9001.12"]
        assert [n.quality for n in volkov.names] == [None, None, "weak"]
        assert volkov.names[1].name == "Дмитрий Сергеевич Волков"
        assert volkov.dates_of_birth == ("1969-11-08",)
        khaddour = entries["EU.9003.71"]
        assert khaddour.primary_name == "Maher Khaddour"  # built from parts
        assert khaddour.dates_of_birth == ("1963",)
        assert khaddour.countries == ()  # "00" means unknown

    def test_missing_logical_id_is_refused(self) -> None:
        body = sample_files("eu_consolidated")["eu_consolidated.xml"]
        broken = body.replace(b'logicalId="900201"', b"", 1)
        with pytest.raises(ListFileInvalid, match="no logicalId"):
            PARSERS["eu_consolidated"]({"eu.xml": broken})


class TestZaFic:
    def test_aliases_with_quality_and_several_birth_dates(self) -> None:
        entries = by_id("za_fic")
        tendai = entries["ZAi.905"]
        assert [(n.name, n.quality) for n in tendai.names[1:]] == [
            ("T. B. Chikwana", "Low"),
            ("Tendai Chikwanha", "Good"),
        ]
        assert tendai.dates_of_birth == ("1980-09-12", "1981-09-12")
        assert tendai.remarks is None  # "NA" is null
        charity = entries["QDe.904"]
        assert [n.name for n in charity.names[1:]] == [
            "Nur Relief Organization",
            "Al Nur Welfare Trust",
        ]

    def test_row_without_name_is_refused(self) -> None:
        body = sample_files("za_fic")["za_fic.xml"]
        broken = body.replace(b"<FullName>Tendai Blessing Chikwanha</FullName>", b"")
        with pytest.raises(ListFileInvalid, match="no FullName") as caught:
            PARSERS["za_fic"]({"za_fic.xml": broken})
        assert caught.value.line == 19
