"""Routes of the BIN ranges directory."""

from fastapi import APIRouter, Depends, Response
from storo_platform.problems import Problem, problem_response

from storo_directory.bins import service
from storo_directory.bins.schemas import BinMatch
from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.deps import catalog_of
from storo_directory.pins import Pin

router = APIRouter(tags=["bins"])
ROUTE = "/v1/bins/{bin}"


@router.get(ROUTE, response_model=BinMatch)
def get_bin(
    bin: str,
    pin: Pin = Depends(),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> BinMatch | Response:
    try:
        version = catalog.resolve("bins", version=pin.version, at=pin.as_of)
        return service.lookup(version, bin)
    except Problem as problem:
        # The shared handler echoes the request path as `instance`; here the path
        # may hold a card number someone pasted, so the route template stands in.
        return problem_response(problem, instance=ROUTE)
