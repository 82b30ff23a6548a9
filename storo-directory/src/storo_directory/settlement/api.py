"""Routes of the settlement windows directory."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from storo_platform.calendar import BUSINESS_TZ
from storo_platform.problems import NotFound

from storo_directory.catalog.cache import DatasetCatalog, LoadedVersion
from storo_directory.deps import catalog_of, resolve_one
from storo_directory.pins import Pin, PinConflict, aware, pin
from storo_directory.rails import RailName
from storo_directory.settlement import service
from storo_directory.settlement.schemas import (
    SettlementWindow,
    SettlementWindowAt,
    SettlementWindowList,
)
from storo_directory.settlement.service import WindowRule
from storo_directory.timefmt import now, rfc3339

router = APIRouter(tags=["settlement"])


class NoWindow(NotFound):
    slug = "no-settlement-window"
    title = "The rail has no settlement window"


def _out(rule: WindowRule, version: LoadedVersion) -> SettlementWindow:
    return SettlementWindow(
        rail=rule.rail,
        window=rule.window,
        cutoff=rule.cutoff.strftime("%H:%M"),
        timezone=str(BUSINESS_TZ),
        settlement_lag_days=rule.settlement_lag_days,
        calendar_countries=list(rule.calendar_countries),
        dataset_version=version.version,
    )


@router.get("/v1/settlement-windows", response_model=SettlementWindowList)
async def list_windows(
    rail: RailName | None = None,
    pinned: Pin = Depends(pin),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> SettlementWindowList:
    loaded = await resolve_one(
        catalog, "settlement_windows", pinned.version, pinned.as_of
    )
    return SettlementWindowList(
        items=[_out(rule, loaded) for rule in service.rules(loaded, rail)],
        dataset_version=loaded.version,
    )


@router.get("/v1/settlement-windows/{rail}", response_model=SettlementWindowAt)
async def get_window(
    rail: RailName,
    at: datetime | None = Query(
        None, description="The moment of the transfer (default: now); also the as-of"
    ),
    version: str | None = Query(None, description="Pin a settlement_windows version"),
    as_of: datetime | None = Query(
        None, description="Take the windows in force at this moment instead of `at`"
    ),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> SettlementWindowAt:
    if version is not None and as_of is not None:
        raise PinConflict("version and as_of were both given")
    moment = aware(at, "at") or now()
    loaded = await resolve_one(
        catalog, "settlement_windows", version, aware(as_of, "as_of") or moment
    )
    choice = service.window_for(loaded, rail, moment)
    if choice is None:
        raise NoWindow(
            f"settlement_windows {loaded.version} has no window for {rail}",
            rail=rail,
            dataset_version=loaded.version,
        )
    return SettlementWindowAt(
        **_out(choice.rule, loaded).model_dump(),
        at=rfc3339(moment),
        business_date=choice.business_date,
        cutoff_at=rfc3339(choice.cutoff_at),
        expected_settlement_date=choice.expected_settlement_date,
    )
