"""Routes of the BIN ranges directory."""

from fastapi import APIRouter, Depends

from storo_directory.bins import service
from storo_directory.bins.schemas import BinMatch
from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.deps import catalog_of
from storo_directory.pins import Pin

router = APIRouter(tags=["bins"])


@router.get("/v1/bins/{bin_}", response_model=BinMatch)
def get_bin(
    bin_: str, pin: Pin = Depends(), catalog: DatasetCatalog = Depends(catalog_of)
) -> BinMatch:
    version = catalog.resolve("bins", version=pin.version, at=pin.as_of)
    return service.lookup(version, bin_)
