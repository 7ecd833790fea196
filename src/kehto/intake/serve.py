"""``kehto intake serve``: run the service (uvicorn, one process, the worker in a thread)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def add_parser(commands) -> None:
    """The ``intake`` command and its options (each also an environment variable, see README)."""
    intake = commands.add_parser("intake", help="vastaanottopalvelu lomakkeiden lähetyksille")
    actions = intake.add_subparsers(dest="intake_command", required=True, parser_class=commands._parser_class)
    serve = actions.add_parser("serve", help="käynnistä palvelu (KEHTO_INTAKE_*-muuttujat ja valitsimet)")
    serve.add_argument("--host", default=None, help="osoite, jota kuunnellaan (oletus 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="portti (oletus 8010)")
    serve.add_argument("--db", type=Path, default=None, help="SQLite-tiedosto (oletus .intake/intake.sqlite3)")
    serve.add_argument("--remote", default=None, help="rekisterin git-etävarasto, johon haarat viedään")
    serve.add_argument("--public-url", default=None, help="palvelun osoite asiakkaiden näkökulmasta (kuittilinkit)")


def cmd_intake(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .app import create_app
    except ImportError:
        print("kehto: vastaanottopalvelu tarvitsee lisäpaketit: pip install -e '.[intake]'", file=sys.stderr)
        return 2
    from .config import from_env

    config = from_env(host=args.host, port=args.port, db=args.db, remote=args.remote, public_url=args.public_url)
    if not config.remote:
        print("kehto: anna rekisterin git-etävarasto: --remote tai KEHTO_INTAKE_REMOTE.", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="info", proxy_headers=True,
                server_header=False, timeout_graceful_shutdown=10)
    return 0
