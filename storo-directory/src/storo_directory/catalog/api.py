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
from storo_directory.catalog.kinds import DATASET_NAMES, KINDS, DatasetName
from storo_directory.catalog.parsing import guess_format
from storo_directory.catalog.schemas import (
    DatasetVersion,
    DatasetVersionList,
    DatasetVersionRecords,
    ListedVersion,
    PublishResult,
)
from storo_directory.deps import catalog_of, sessions_of
from storo_directory.pins import aware
from storo_directory.security import publisher
from storo_directory.timefmt import now, rfc3339

router = APIRouter(tags=["datasets"])


@router.get("/v1/datasets", response_model=DatasetVersionList)
def list_datasets(
    dataset: DatasetName | None = None,
    as_of: datetime | None = Query(None, description="Mark the versions in force then"),
    catalog: DatasetCatalog = Depends(catalog_of),
) -> DatasetVersionList:
    moment = aware(as_of, "as_of") or now()
    headers = catalog.headers()
    items: list[ListedVersion] = []
    for name in DATASET_NAMES if dataset is None else (dataset,):
        versions = headers.get(name, ())
        current = in_force(versions, moment)
        items.extend(
            ListedVersion(**DatasetVersion.of(h).model_dump(), current=h == current)
            for h in versions
        )
    return DatasetVersionList(as_of=rfc3339(moment), items=items)


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
                published_by=operator.id,
            )

    published = await run_in_threadpool(publish)
    catalog.invalidate()
    if not published.created:
        response.status_code = 200
    return PublishResult(
        **DatasetVersion.of(published.header).model_dump(), created=published.created
    )
