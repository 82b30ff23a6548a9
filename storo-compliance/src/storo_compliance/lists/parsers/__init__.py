"""One parser per publisher format; each returns a `ParsedList` or raises
`ListFileInvalid` naming the file, the line and the reason."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from storo_compliance.lists.model import ListName, ParsedList
from storo_compliance.lists.parsers.eu import parse_eu
from storo_compliance.lists.parsers.ofac import parse_ofac
from storo_compliance.lists.parsers.un import parse_un
from storo_compliance.lists.parsers.za_fic import parse_za_fic

# Every parser takes the list's files by name (OFAC ships several).
Parser = Callable[[Mapping[str, bytes]], ParsedList]

PARSERS: dict[ListName, Parser] = {
    "ofac_sdn": parse_ofac,
    "un_consolidated": parse_un,
    "eu_consolidated": parse_eu,
    "za_fic": parse_za_fic,
}

__all__ = ["PARSERS", "Parser"]
