"""Real PostgreSQL and AWS-emulator fixtures for Storo test suites."""

from storo_testing.aws import REGION, MotoServer, TcpProxy
from storo_testing.databases import ServiceDatabase, create_service_database
from storo_testing.drain import drain
from storo_testing.plugin import MakeServiceDatabase
from storo_testing.ports import free_port
from storo_testing.postgres import PostgresServer, find_or_start
from storo_testing.sessions import rollback_session

__version__ = "1.0.0"

__all__ = [
    "REGION",
    "MakeServiceDatabase",
    "MotoServer",
    "PostgresServer",
    "ServiceDatabase",
    "TcpProxy",
    "create_service_database",
    "drain",
    "find_or_start",
    "free_port",
    "rollback_session",
]
