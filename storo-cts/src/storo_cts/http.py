"""The one HTTP client of the process, shared by the compliance and directory clients.

aiohttp rather than httpx for the calls on the intake path: its connection pool hands
out a kept-alive connection in constant time, where httpcore's pool scans (and polls)
every idle connection on every request, which dominated the event loop under load.

The session must be created inside the running event loop, so the app's lifespan
opens it (:meth:`HttpPool.open`) and closes it.
"""

from __future__ import annotations

import aiohttp

from storo_cts import __version__


class HttpPoolClosed(RuntimeError):
    """A call was made before the app's lifespan opened the pool."""


class HttpPool:
    def __init__(self, max_connections_per_host: int) -> None:
        self._per_host = max_connections_per_host
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=0,  # bounded per host below, not overall
                limit_per_host=self._per_host,
                keepalive_timeout=30,
                ttl_dns_cache=300,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"user-agent": f"storo-cts/{__version__}"},
                raise_for_status=False,
            )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise HttpPoolClosed("the HTTP pool is not open")
        return self._session
