"""The handbook stays true: its links resolve, its repositories and make targets exist.

Every `make` command the documents show is checked against the Makefile it would run:
`make X` against the root Makefile, `make -C storo-Y X` against storo-Y's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").rglob("*.md"))
HANDBOOK = [
    ROOT / "docs" / "50-repo-structure" / "multi-repo-architecture.md",
    ROOT / "docs" / "release-strategy.md",
    ROOT / "docs" / "local-dev.md",
    ROOT / "docs" / "ci-cd.md",
]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
REPOSITORY = re.compile(r"(?<![\w-])storo-[a-z0-9]+(?:-[a-z0-9]+)*\b")
MAKE = re.compile(r"\bmake((?:[ \t]+-C[ \t]+\S+)?)((?:[ \t]+[a-z][\w=.-]*)+)")
TARGET = re.compile(r"^([A-Za-z0-9_.%-]+(?:\s+[A-Za-z0-9_.%-]+)*)\s*:(?!=)", re.M)
# Names that look like repositories but are something else: packages' console scripts
# and the algod simulator's command.
NOT_REPOSITORIES = {
    "storo-algod-sim",
    "storo-specs-validate",
}
CONSOLE_SCRIPTS = re.compile(r"`storo-[a-z-]+ (serve|worker|migrate|verify|ingest)")


def code_spans(text: str) -> list[str]:
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    return blocks + inline


def targets_of(makefile: Path) -> set[str]:
    names: set[str] = set()
    for match in TARGET.finditer(makefile.read_text()):
        names.update(match.group(1).split())
    return names


def matches(target: str, names: set[str]) -> bool:
    if target in names:
        return True
    patterns = [n for n in names if "%" in n]
    return any(re.fullmatch(p.replace("%", ".+"), target) for p in patterns)


@pytest.mark.parametrize("document", HANDBOOK, ids=lambda p: p.name)
def test_the_handbook_document_exists(document: Path) -> None:
    assert document.exists()
    assert len(document.read_text().split()) > 200


@pytest.mark.parametrize("document", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(document: Path) -> None:
    for target in LINK.findall(document.read_text()):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = (document.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{document.name}: broken link {target}"


@pytest.mark.parametrize("document", DOCS, ids=lambda p: p.name)
def test_every_repository_named_exists(document: Path) -> None:
    text = document.read_text()
    for name in set(REPOSITORY.findall(text)) - NOT_REPOSITORIES:
        if name.endswith(("-events", "-inbox", "-dlq")) or "_" in name:
            continue  # a topic or queue named after its service
        assert (ROOT / name).is_dir() or _is_console_script(text, name), (
            f"{document.name} names {name}, which is not a repository here"
        )


def _is_console_script(text: str, name: str) -> bool:
    return bool(re.search(rf"`{re.escape(name)} [a-z]", text))


@pytest.mark.parametrize("document", DOCS, ids=lambda p: p.name)
def test_every_make_target_exists_in_the_makefile_it_runs(document: Path) -> None:
    for span in code_spans(document.read_text()):
        for match in MAKE.finditer(span):
            folder = match.group(1).split()[-1] if match.group(1) else "."
            makefile = ROOT / folder / "Makefile"
            assert makefile.exists(), f"{document.name}: no Makefile in {folder}"
            names = targets_of(makefile)
            for target in match.group(2).split():
                if "=" in target:
                    continue
                assert matches(target, names), (
                    f"{document.name}: `{match.group(0)}` but {folder}/Makefile has "
                    f"no target {target}"
                )


def test_the_owners_the_handbook_names_are_the_owners_in_codeowners() -> None:
    text = HANDBOOK[0].read_text()
    rows = re.findall(
        r"^\| \[(storo-[a-z-]+)\]\([^)]*\) \| [^|]+ \| ([^|]+) \|", text, re.M
    )
    assert len(rows) >= 10
    for repository, owners in rows:
        codeowners = (ROOT / repository / "CODEOWNERS").read_text().splitlines()
        [default] = [line for line in codeowners if line.startswith("*")]
        assert default.split()[1:] == owners.split(), repository
