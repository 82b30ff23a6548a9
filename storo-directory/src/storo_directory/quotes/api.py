"""Route of quotes: on CTS's hot path, served from cached dataset versions."""

from fastapi import APIRouter, Depends

from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.deps import catalog_of, resolve
from storo_directory.metrics import QUOTES
from storo_directory.pins import aware
from storo_directory.quotes import service
from storo_directory.quotes.schemas import Quote, QuoteRequest

router = APIRouter(tags=["quotes"])


@router.post("/v1/quotes", response_model=Quote)
async def create_quote(
    body: QuoteRequest, catalog: DatasetCatalog = Depends(catalog_of)
) -> Quote:
    at = aware(body.at, "at")
    try:
        quote = service.quote(await resolve(catalog, service.pins_of(body), at), body)
    except service.QuoteRefused:
        QUOTES.labels(rail=body.rail or "none", outcome="refused").inc()
        raise
    QUOTES.labels(rail=quote.rail, outcome="quoted").inc()
    return quote
