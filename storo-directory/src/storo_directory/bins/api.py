"""Routes of the BIN ranges directory."""

from fastapi import APIRouter, Depends, Response
from storo_platform.problems import Problem, problem_response

from storo_directory.bins import service
from storo_directory.bins.schemas import BinMatch
from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.deps import catalog_of, resolve_one
from storo_directory.pins import Pin, pin

router = APIRouter(tags=["bins"])
ROUTE = "/v1/bins/{bin}"


@router.get(ROUTE, response_model=BinMatch)
async def get_bin(
    bin: str,
    pinned: Pin = Depends(pin),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> BinMatch | Response:
    try:
        version = await resolve_one(catalog, "bins", pinned.version, pinned.as_of)
        return service.lookup(version, bin)
    except Problem as problem:
        # The shared handler echoes the request path as `instance`; here the path
        # may hold a card number someone pasted, so the route template stands in.
        return problem_response(problem, instance=ROUTE)
