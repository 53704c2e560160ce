"""Administration of the matching service: ``python -m matchsvc COMMAND``.

    add-network SLUG COUNSEL_EMAIL   new network: OPRF key in the key file, counsel token printed
    add-member SLUG LABEL            new member organisation: token and share point printed
    serve [--host H] [--port P]      development server (production: gunicorn matchsvc.wsgi)

Tokens are printed once and stored only as hashes; hand them over in person.
"""

from __future__ import annotations

import argparse
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server

from matchsvc import keys
from matchsvc.app import make_app
from matchsvc.settings import from_env
from matchsvc.store import Store


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matchsvc", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    network = commands.add_parser("add-network")
    network.add_argument("slug")
    network.add_argument("counsel_email")
    member = commands.add_parser("add-member")
    member.add_argument("slug")
    member.add_argument("label")
    serve = commands.add_parser("serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    args = parser.parse_args(argv)
    config = from_env()
    if args.command == "add-network":
        keys.add_network(config.key_file, args.slug)
        token = Store(config.database).add_network(args.slug, args.counsel_email)
        print(f"network {args.slug}: counsel token {token}")
    elif args.command == "add-member":
        token, point = Store(config.database).add_member(args.slug, args.label)
        print(f"member {args.label} of {args.slug}: token {token} (share point {point})")
    else:
        server = make_server(args.host, args.port, make_app(config), server_class=_ThreadingServer)
        print(f"matching service on http://{args.host}:{args.port}/", file=sys.stderr)
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
