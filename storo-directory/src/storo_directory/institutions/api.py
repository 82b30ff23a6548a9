"""Routes of the institutions directory."""

from fastapi import APIRouter, Depends, Query

from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.deps import catalog_of, resolve_one
from storo_directory.institutions import service
from storo_directory.institutions.schemas import (
    Institution,
    InstitutionKind,
    InstitutionPage,
    InstitutionStatus,
)
from storo_directory.pins import Pin, pin
from storo_directory.rails import RailName

router = APIRouter(tags=["institutions"])


@router.get("/v1/institutions", response_model=InstitutionPage)
async def list_institutions(
    country: str | None = Query(None, pattern=r"^[A-Z]{2}$"),
    rail: RailName | None = None,
    kind: InstitutionKind | None = None,
    status: InstitutionStatus | None = None,
    bic: str | None = Query(None, max_length=11),
    national_code: str | None = Query(None, max_length=10),
    q: str | None = Query(None, min_length=1, max_length=140),
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = Query(None, min_length=1, max_length=512),
    pinned: Pin = Depends(pin),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> InstitutionPage:
    offset = 0
    version_name = pinned.version
    if cursor is not None:
        # A cursor carries the version of its first page: later pages stay on it.
        page = service.Cursor.decode(cursor)
        version_name, offset = page.version, page.offset
    version = await resolve_one(catalog, "institutions", version_name, pinned.as_of)
    where = service.InstitutionFilter(
        country=country,
        kind=kind,
        rail=rail,
        status=status,
        bic=bic,
        national_code=national_code,
        q=q,
    )
    return service.search(version, where, limit=limit, offset=offset)


@router.get("/v1/institutions/{institution_id}", response_model=Institution)
async def get_institution(
    institution_id: str,
    pinned: Pin = Depends(pin),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> Institution:
    version = await resolve_one(catalog, "institutions", pinned.version, pinned.as_of)
    return service.get(version, institution_id)
