"""moto's server (the AWS emulator) as a subprocess, and a proxy to cut it off."""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import boto3
from botocore.config import Config

from storo_testing.ports import free_port

REGION = "af-south-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - a local URL
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means the server is up
    except OSError:
        return False


class MotoServer:
    """``moto.server`` on a free port of 127.0.0.1, until :meth:`stop`."""

    def __init__(self, *, region: str = REGION, startup_timeout: float = 30.0) -> None:
        self.region = region
        self.host = "127.0.0.1"
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._start(startup_timeout)

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _start(self, timeout: float) -> None:
        for _attempt in range(3):
            self.port = free_port()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "moto.server",
                    "-H",
                    self.host,
                    "-p",
                    str(self.port),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={
                    **{k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"},
                    **CREDENTIALS,
                },
            )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and process.poll() is None:
                if _answers(f"{self.endpoint_url}/moto-api/"):
                    self._process = process
                    return
                time.sleep(0.1)
            process.kill()
            process.wait()
        raise RuntimeError("moto's server did not start")

    def client(self, name: str, **kwargs: Any) -> Any:
        """A boto3 client of service ``name`` bound to the emulator."""
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        kwargs.setdefault("region_name", self.region)
        kwargs.setdefault("aws_access_key_id", CREDENTIALS["AWS_ACCESS_KEY_ID"])
        kwargs.setdefault("aws_secret_access_key", CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
        kwargs.setdefault(
            "config", Config(retries={"max_attempts": 2, "mode": "standard"})
        )
        # boto3's overloads are keyed by literal service names; ``name`` is a str.
        make: Any = boto3.client
        return make(name, **kwargs)

    def published(self, topic_arn: str) -> list[dict[str, Any]]:
        """What the emulator's topic received, in order of arrival.

        Read from moto's model dump (``/moto-api/data.json``), so it works for a
        topic without subscriptions. Each item has ``message_id``, ``message`` and
        ``attributes``.
        """
        url = f"{self.endpoint_url}/moto-api/data.json"
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            data = json.load(response)
        for topic in data.get("sns", {}).get("Topic", []):
            if topic.get("arn") == topic_arn:
                return [
                    {"message_id": item[0], "message": item[1], "attributes": item[3]}
                    for item in topic.get("sent_notifications", [])
                ]
        raise LookupError(f"the emulator has no topic {topic_arn}")

    def reset(self) -> None:
        """Forget every resource the emulator holds."""
        request = urllib.request.Request(  # noqa: S310 - a local URL
            f"{self.endpoint_url}/moto-api/reset", method="POST"
        )
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310
            pass

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


class TcpProxy:
    """Forwards a local port to a target, and can be cut off and restored.

    Cutting it off closes the listening socket and every open connection, so clients
    see connection refused: the emulator looks down while keeping its state.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen (again) on the same port."""
        if self._listener is not None:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and drop the open ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            connections, self._connections = self._connections, set()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed by stop()
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections.update((client, upstream))
            threading.Thread(
                target=self._pipe, args=(client, upstream), daemon=True
            ).start()

    def _pipe(self, left: socket.socket, right: socket.socket) -> None:
        peers = {left: right, right: left}
        try:
            while True:
                readable, _, _ = select.select(list(peers), [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for sock in peers:
                with contextlib.suppress(OSError):
                    sock.close()
            with self._lock:
                self._connections.difference_update(peers)
