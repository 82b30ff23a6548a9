"""Routes of the institutions directory."""

from fastapi import APIRouter, Depends, Query

from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.deps import catalog_of
from storo_directory.institutions import service
from storo_directory.institutions.schemas import (
    Institution,
    InstitutionKind,
    InstitutionPage,
    InstitutionStatus,
)
from storo_directory.pins import Pin

router = APIRouter(tags=["institutions"])


@router.get("/v1/institutions", response_model=InstitutionPage)
def list_institutions(
    country: str | None = Query(None, pattern=r"^[A-Za-z]{2}$"),
    kind: InstitutionKind | None = None,
    rail: str | None = None,
    status: InstitutionStatus | None = None,
    bic: str | None = Query(None, max_length=11),
    national_code: str | None = Query(None, max_length=10),
    q: str | None = Query(None, min_length=2, max_length=140),
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0),
    pin: Pin = Depends(),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> InstitutionPage:
    version = catalog.resolve("institutions", version=pin.version, at=pin.as_of)
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


@router.get("/v1/institutions/{ident}", response_model=Institution)
def get_institution(
    ident: str,
    pin: Pin = Depends(),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> Institution:
    version = catalog.resolve("institutions", version=pin.version, at=pin.as_of)
    return service.get(version, ident)
