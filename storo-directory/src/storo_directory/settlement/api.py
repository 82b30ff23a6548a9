"""Routes of the settlement windows directory."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from storo_platform.problems import NotFound

from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.deps import catalog_of
from storo_directory.pins import PinConflict, aware
from storo_directory.rails import RAILS
from storo_directory.settlement import service
from storo_directory.settlement.schemas import SettlementWindow
from storo_directory.timefmt import now, rfc3339

router = APIRouter(tags=["settlement"])


class NoWindow(NotFound):
    slug = "no-settlement-window"
    title = "The rail has no settlement window"


@router.get("/v1/settlement-windows/{rail}", response_model=SettlementWindow)
def get_window(
    rail: str,
    at: datetime | None = Query(
        None, description="The moment of the transfer (default: now); also the as-of"
    ),
    version: str | None = Query(None, description="Pin a settlement_windows version"),
    as_of: datetime | None = Query(
        None, description="Use the windows in force at this moment instead of `at`"
    ),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> SettlementWindow:
    if version is not None and as_of is not None:
        raise PinConflict("version and as_of were both given")
    moment = aware(at, "at") or now()
    chosen_at = aware(as_of, "as_of") or moment
    if rail not in RAILS:
        raise NoWindow(f"{rail!r} is not a rail", rail=rail)
    loaded = catalog.resolve("settlement_windows", version=version, at=chosen_at)
    choice = service.window_for(loaded, rail, moment)
    if choice is None:
        raise NoWindow(
            f"settlement_windows {loaded.version} has no window for {rail}",
            rail=rail,
            dataset_version=loaded.version,
        )
    return SettlementWindow(
        rail=rail,
        window=choice.rule.window,
        at=rfc3339(moment),
        business_date=choice.business_date,
        cutoff_at=rfc3339(choice.cutoff_at),
        expected_settlement_date=choice.expected_settlement_date,
        lag_business_days=choice.rule.lag_business_days,
        calendars=list(choice.rule.calendars),
        dataset_version=loaded.version,
    )
