"""Running the service for tests and benchmarks: in-process, on a free loopback port."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import setup_testing_defaults

from matchsvc import keys
from matchsvc.app import Service, make_app
from matchsvc.settings import Config
from matchsvc.store import Store


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Network:
    """A configured service with one network and some member organisations."""

    config: Config
    slug: str
    counsel_token: str
    members: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add_member(self, label: str) -> str:
        token, point = Store(self.config.database).add_member(self.slug, label)
        self.members[label] = (token, point)
        return token


def configure(folder: Path, slug: str = "eecahr", **overrides: Any) -> Network:
    config = Config(
        database=folder / "matchsvc.sqlite3", key_file=folder / "oprf-keys.json", **overrides
    )
    keys.add_network(config.key_file, slug)
    counsel = Store(config.database).add_network(slug, "counsel@example.org")
    return Network(config, slug, counsel)


@contextmanager
def serving(config: Config) -> Iterator[str]:
    """Serve the app on 127.0.0.1 at a free port; yield its base URL."""
    server = make_server(
        "127.0.0.1",
        free_port(),
        make_app(config),
        server_class=_Server,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def call(
    app: Service, method: str, path: str, token: str | None = None, payload: Any = None
) -> tuple[int, dict[str, Any]]:
    """One request straight into the WSGI app, no socket."""
    body = json.dumps(payload).encode() if payload is not None else b""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    setup_testing_defaults(environ)
    status: list[str] = []
    chunks = app(environ, lambda s, headers: status.append(s))
    return int(status[0].split()[0]), json.loads(b"".join(chunks))
