"""Computing a fee from one version of the fee schedules dataset."""

from collections.abc import Mapping
from dataclasses import dataclass

from storo_platform.money import Money, apply_rate, parse_amount

from storo_directory.catalog.cache import LoadedVersion


@dataclass(frozen=True)
class FeeSchedule:
    rail: str
    currency: str
    fixed: Money
    percentage: str
    minimum: Money
    maximum: Money | None
    rounding: str

    def fee_for(self, amount: Money) -> Money:
        fee = self.fixed + apply_rate(amount, self.percentage, rounding=self.rounding)
        if fee.minor < self.minimum.minor:
            return self.minimum
        if self.maximum is not None and fee.minor > self.maximum.minor:
            return self.maximum
        return fee


FeeKey = tuple[str, str, str, str]  # rail, from, to, currency


def build_table(version: LoadedVersion) -> Mapping[FeeKey, FeeSchedule]:
    table = {}
    for r in version.records:
        currency = r["currency"]
        table[(r["rail"], r["from"], r["to"], currency)] = FeeSchedule(
            rail=r["rail"],
            currency=currency,
            fixed=parse_amount(r["fixed"], currency, allow_zero=True),
            percentage=r["percentage"],
            minimum=parse_amount(r["minimum"], currency, allow_zero=True),
            maximum=(
                parse_amount(r["maximum"], currency, allow_zero=True)
                if r.get("maximum") is not None
                else None
            ),
            rounding=r["rounding"],
        )
    return table


def schedule(
    version: LoadedVersion, rail: str, origin: str, destination: str, currency: str
) -> FeeSchedule | None:
    return version.derived(build_table).get((rail, origin, destination, currency))
