"""Pricing a transfer and choosing its rail. Reads only cached dataset versions."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from storo_platform.money import Money, MoneyError, UnknownCurrency
from storo_platform.problems import FieldError, Unprocessable

from storo_directory.catalog.cache import LoadedVersion
from storo_directory.fees import service as fees
from storo_directory.fees.service import FeeSchedule
from storo_directory.quotes.schemas import (
    Quote,
    QuoteRequest,
    QuoteSettlement,
    RailReason,
    WireMoney,
)
from storo_directory.rails import RAIL_CURRENCIES, RAIL_PREFERENCE, RAILS, carries
from storo_directory.settlement import service as settlement
from storo_directory.settlement.service import WindowChoice
from storo_directory.timefmt import now, rfc3339

DATASETS = ("fees", "settlement_windows")


class QuoteRefused(Unprocessable):
    slug = "quote-refused"
    title = "No quote for that transfer"

    def __init__(self, detail: str, *, field: str, rule: str) -> None:
        super().__init__(
            detail, errors=[FieldError(field=field, rule=rule, message=detail)]
        )


@dataclass(frozen=True)
class _Route:
    rail: str
    schedule: FeeSchedule
    window: WindowChoice
    fee: Money


def _amount(request: QuoteRequest) -> Money:
    try:
        return Money.from_wire(request.amount.model_dump())
    except UnknownCurrency as error:
        raise QuoteRefused(
            str(error), field="/amount/currency", rule=error.rule
        ) from None
    except MoneyError as error:
        raise QuoteRefused(
            str(error), field="/amount/amount", rule=error.rule
        ) from None


def _route(
    rail: str,
    amount: Money,
    request: QuoteRequest,
    fee_version: LoadedVersion,
    window_version: LoadedVersion,
    at: datetime,
) -> _Route | None:
    corridor = request.corridor
    schedule = fees.schedule(
        fee_version, rail, corridor.origin, corridor.destination, amount.currency
    )
    if schedule is None:
        return None
    window = settlement.window_for(window_version, rail, at)
    if window is None:
        return None
    return _Route(rail, schedule, window, schedule.fee_for(amount))


def _rank(route: _Route) -> tuple[int, object, int]:
    return (
        route.fee.minor,
        route.window.expected_settlement_date,
        RAIL_PREFERENCE.index(route.rail),
    )


def _reason(chosen: _Route, others: list[_Route], currency: str) -> RailReason:
    if not others:
        carriers = [r for r in RAIL_PREFERENCE if carries(r, currency)]
        return "only_rail_for_currency" if len(carriers) == 1 else "only_route"
    if all(chosen.fee.minor < o.fee.minor for o in others):
        return "cheapest"
    tied = [o for o in others if o.fee.minor == chosen.fee.minor]
    earliest = chosen.window.expected_settlement_date
    if all(earliest < o.window.expected_settlement_date for o in tied):
        return "earliest_settlement"
    return "preferred_rail"


def _candidates(request: QuoteRequest, amount: Money) -> list[str]:
    if request.rail is None:
        return [r for r in RAIL_PREFERENCE if carries(r, amount.currency)]
    if request.rail not in RAILS:
        raise QuoteRefused(
            f"{request.rail!r} is not a rail", field="/rail", rule="unknown_rail"
        )
    if not carries(request.rail, amount.currency):
        carried = ", ".join(sorted(RAIL_CURRENCIES[request.rail]))
        raise QuoteRefused(
            f"rail {request.rail} carries {carried}, not {amount.currency}",
            field="/rail",
            rule="rail_does_not_carry_currency",
        )
    return [request.rail]


def pins_of(request: QuoteRequest) -> dict[str, str | None]:
    """The datasets a quote reads, each pinned by the request or left to `at`."""
    pinned = request.dataset_versions or {}
    return {name: pinned.get(name) for name in DATASETS}


def quote(used: Mapping[str, LoadedVersion], request: QuoteRequest) -> Quote:
    amount = _amount(request)
    rails = _candidates(request, amount)
    at = request.at or now()
    fee_version, window_version = used["fees"], used["settlement_windows"]
    routes = [
        route
        for rail in rails
        if (route := _route(rail, amount, request, fee_version, window_version, at))
    ]
    if not routes:
        corridor = f"{request.corridor.origin}->{request.corridor.destination}"
        raise QuoteRefused(
            f"no rail prices {amount.currency} on {corridor} "
            f"(fees {fee_version.version}, windows {window_version.version})",
            field="/corridor",
            rule="no_route",
        )
    routes.sort(key=_rank)
    chosen = routes[0]
    reason: RailReason = (
        "requested"
        if request.rail is not None
        else _reason(chosen, routes[1:], amount.currency)
    )
    return Quote(
        quote_id=f"q_{uuid.uuid4().hex}",
        amount=WireMoney(**amount.to_wire()),
        fee=WireMoney(**chosen.fee.to_wire()),
        total=WireMoney(**(amount + chosen.fee).to_wire()),
        rail=chosen.rail,
        rail_reason=reason,
        settlement=QuoteSettlement(
            window=chosen.window.rule.window,
            cutoff_at=rfc3339(chosen.window.cutoff_at),
            expected_settlement_date=chosen.window.expected_settlement_date,
        ),
        dataset_versions={
            "fees": fee_version.version,
            "settlement_windows": window_version.version,
        },
    )
