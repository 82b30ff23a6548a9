"""Write a synthetic OFAC SDN CSV set (sdn.csv, alt.csv, add.csv) of N entries.

python bench/synthetic.py --entries 50000 --out bench/out/ofac_sdn
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from names import listed_name, synthetic_surname

COUNTRIES = ["Iraq", "Iran", "Syria", "Russia", "Korea, North", "Mexico", "Somalia"]
COUNTRIES += ["Zimbabwe", "Congo, Democratic Republic of the", "Yemen", "Libya"]
MONTHS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]


def _csv(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def generate(entries: int, out: Path, seed: int = 8) -> int:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    sdn, alt, add = [], [], []
    names = 0
    for ent in range(10_000, 10_000 + entries):
        if rng.random() < 0.8:
            parts = listed_name(rng)
            name = f"{parts[-1].upper()}, {' '.join(p.title() for p in parts[:-1])}"
            year = rng.randint(1940, 1995)
            remarks = (
                f"DOB {rng.randint(1, 28):02d} {rng.choice(MONTHS)} {year}; "
                f"nationality {rng.choice(COUNTRIES)}"
            )
            kind = '"individual"'
        else:
            trade = rng.choice(["TRADING", "GROUP", "SHIPPING", "INDUSTRIES"])
            name = f"{synthetic_surname(rng).upper()} {trade} LLC"
            remarks = "-0- "
            kind = "-0- "
        sdn.append(
            f'{ent},{_csv(name)},{kind},"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
            f"{_csv(remarks) if remarks != '-0- ' else remarks}"
        )
        names += 1
        for a in range(rng.choice((0, 0, 1, 2))):
            if kind == "-0- ":
                alias = f"{synthetic_surname(rng).upper()} CO"
            else:
                parts = listed_name(rng)
                alias = f"{parts[-1].upper()}, {parts[0].title()}"
            alt.append(f'{ent},{ent * 10 + a},"aka",{_csv(alias)},-0- ')
            names += 1
        add.append(f"{ent},{ent},-0- ,-0- ,{_csv(rng.choice(COUNTRIES))},-0- ")
    for file, rows in (("sdn.csv", sdn), ("alt.csv", alt), ("add.csv", add)):
        (out / file).write_bytes(("\r\n".join(rows) + "\r\n").encode() + b"\x1a")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out/ofac_sdn"))
    args = parser.parse_args()
    names = generate(args.entries, args.out)
    print(f"wrote {args.entries} entries ({names} names) to {args.out}")


if __name__ == "__main__":
    main()
