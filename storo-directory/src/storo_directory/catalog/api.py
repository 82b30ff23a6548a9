"""Routes of the dataset catalog: list versions, read one, publish an import."""

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from storo_platform.rbac import Operator

from storo_directory.catalog import service
from storo_directory.catalog.cache import DatasetCatalog, in_force
from storo_directory.catalog.errors import UnknownDataset
from storo_directory.catalog.kinds import DATASET_NAMES, KINDS
from storo_directory.catalog.parsing import guess_format
from storo_directory.catalog.schemas import (
    DatasetList,
    DatasetSummary,
    DatasetVersion,
    DatasetVersionRecords,
    PublishResult,
)
from storo_directory.deps import catalog_of, sessions_of, settings_of
from storo_directory.pins import aware
from storo_directory.security import publisher
from storo_directory.settings import DirectorySettings
from storo_directory.timefmt import now, rfc3339

router = APIRouter(tags=["datasets"])


@router.get("/v1/datasets", response_model=DatasetList)
def list_datasets(
    as_of: datetime | None = Query(None, description="Which version is in force then"),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> DatasetList:
    moment = aware(as_of, "as_of") or now()
    headers = catalog.headers()
    summaries = []
    for name in DATASET_NAMES:
        versions = headers.get(name, ())
        current = in_force(versions, moment)
        summaries.append(
            DatasetSummary(
                dataset=name,
                in_force=DatasetVersion.of(current) if current else None,
                versions=[DatasetVersion.of(h) for h in versions],
            )
        )
    return DatasetList(as_of=rfc3339(moment), datasets=summaries)


@router.get(
    "/v1/datasets/{dataset}/versions/{version}", response_model=DatasetVersionRecords
)
def get_version(
    dataset: str, version: str, catalog: DatasetCatalog = Depends(catalog_of)
) -> DatasetVersionRecords:
    if dataset not in KINDS:
        raise UnknownDataset(dataset)
    loaded = catalog.version(dataset, version)
    return DatasetVersionRecords(
        **DatasetVersion.of(loaded.header).model_dump(), records=list(loaded.records)
    )


@router.post(
    "/v1/datasets/{dataset}/versions",
    response_model=PublishResult,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "content": {"text/csv": {}, "application/json": {}},
            "required": True,
        }
    },
)
async def publish_version(
    dataset: str,
    request: Request,
    response: Response,
    version: str | None = Query(None),
    effective_from: datetime | None = Query(None),
    fmt: Literal["csv", "json"] | None = Query(None, alias="format"),
    operator: Operator = Depends(publisher),
    sessions: sessionmaker[Session] = Depends(sessions_of),
    catalog: DatasetCatalog = Depends(catalog_of),
    settings: DirectorySettings = Depends(settings_of),
) -> PublishResult:
    body = await request.body()
    chosen = fmt or guess_format(None, request.headers.get("content-type"))

    def publish() -> service.Published:
        # The request owns the transaction: the version row and its outbox event
        # commit together or not at all.
        with sessions() as session, session.begin():
            return service.publish_import(
                session,
                dataset=dataset,
                body=body,
                fmt=chosen,
                version=version,
                effective_from=aware(effective_from, "effective_from"),
                source="api",
                event_source=settings.event_source,
                published_by=operator.id,
            )

    published = await run_in_threadpool(publish)
    catalog.invalidate()
    if not published.created:
        response.status_code = 200
    return PublishResult(
        **DatasetVersion.of(published.header).model_dump(), created=published.created
    )
