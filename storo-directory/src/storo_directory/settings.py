"""Settings of the directory service, read from STORO_DIRECTORY_* variables."""

from pydantic_settings import SettingsConfigDict
from storo_platform.settings import ServiceSettings


class DirectorySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STORO_DIRECTORY_")

    # How long the list of published versions is trusted before it is read again.
    # Versions themselves are immutable and cached for the life of the process; only
    # the discovery of versions published by another process waits up to this long.
    catalog_ttl_seconds: float = 5.0
    # Imports arrive as one request body; the bundled BIN table is ~10 kB.
    import_max_bytes: int = 2 * 1024 * 1024
