"""Facts about datasets that a caller is told as problem+json."""

from datetime import datetime

from storo_platform.problems import Conflict, FieldError, NotFound, Unprocessable

from storo_directory.catalog.kinds import RowError
from storo_directory.timefmt import rfc3339


class VersionNotFound(NotFound):
    slug = "dataset-version-not-found"
    title = "No such dataset version"

    def __init__(self, dataset: str, version: str) -> None:
        super().__init__(
            f"{dataset} has no version {version!r}", dataset=dataset, version=version
        )


class NoVersionInForce(NotFound):
    slug = "no-dataset-in-force"
    title = "No dataset version in force"

    def __init__(self, dataset: str, at: datetime) -> None:
        super().__init__(
            f"no version of {dataset} is in force at {rfc3339(at)}",
            dataset=dataset,
            at=rfc3339(at),
        )


class UnknownDataset(NotFound):
    slug = "unknown-dataset"
    title = "No such dataset"

    def __init__(self, dataset: str) -> None:
        super().__init__(f"{dataset!r} is not a dataset", dataset=dataset)


class ImportRefused(Unprocessable):
    slug = "import-refused"
    title = "The import was refused; nothing was published"

    def __init__(self, dataset: str, errors: list[RowError]) -> None:
        self.row_errors = errors
        super().__init__(
            f"{len(errors)} problem(s) in the {dataset} import",
            errors=[
                FieldError(
                    field=e.pointer, rule=e.rule, message=f"row {e.row}: {e.message}"
                )
                for e in errors
            ],
            dataset=dataset,
        )


class VersionConflict(Conflict):
    slug = "dataset-version-exists"
    title = "That version exists with other content"

    def __init__(self, dataset: str, version: str) -> None:
        super().__init__(
            f"{dataset} {version} is already published with other records or "
            "another effective-from; a published version never changes",
            dataset=dataset,
            version=version,
        )
