"""The ASGI application: Starlette routes over the request checks, the store and the worker.

Store first, answer second: a 202 is sent only after the submission's row is
committed to SQLite; the worker thread then hands it to git. No traceback ever
reaches a client: every error is a JSON answer with a Finnish message.
"""

from __future__ import annotations

import json
import logging
import threading
from contextlib import asynccontextmanager
from datetime import datetime, timezone

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import check, openapi
from .config import Config
from .gitrepo import GitError, Repo
from .guard import ProofOfWork, RateLimit, client_hash, client_salt
from .request import Refusal, is_receipt, new_receipt, parse_body, prepare, problem_json
from ..days import finnish_day
from .store import Conflict, Store
from .worker import Snapshots, Worker, branch_of

log = logging.getLogger("kehto.intake")
LABELS = {"received": "Vastaanotettu", "processing": "Käsittelyssä", "published": "Julkaistu", "returned": "Palautettu"}
PUBLIC_STATE = {"received": "received", "pushed": "processing", "proposed": "processing",
                "published": "published", "returned": "returned"}
HTTP_MESSAGES = {404: "Osoitetta ei löydy.", 405: "Menetelmä ei ole sallittu tässä osoitteessa."}


def _answer(status: int, body, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(body, status, headers=headers)


def _refusal(refusal: Refusal, headers: dict | None = None) -> JSONResponse:
    body = {"error": refusal.error, "message": refusal.message}
    if refusal.problems:
        body["problems"] = [problem_json(p) for p in refusal.problems]
    return _answer(refusal.status, body, headers)


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) as soon as it is known to exceed ``limit`` bytes."""
    too_large = Refusal(413, "too-large", f"Lähetys on liian suuri; enimmäiskoko on {limit // 1024} kt.")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


class Service:
    """What the routes share: configuration, store, git clone, snapshot, worker and limits."""

    def __init__(self, config: Config):
        self.config = config
        self.store = Store(config.db)
        self.repo = Repo(config.data_dir, config.remote, config.main_branch)
        self.snapshots = Snapshots()
        self.worker = Worker(config, self.store, self.repo, self.snapshots)
        self.rate = RateLimit(config.rate_limit, config.rate_window)
        self.pow = ProofOfWork(config.altcha_key) if config.altcha_key else None
        self.salt = client_salt(config.data_dir)
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        """Clone or fetch the registry, unpack the snapshot to check against, start the worker."""
        self.repo.ensure()
        try:
            main = self.repo.fetch_main()
        except GitError as exc:  # remote down: work from the last fetched main, if any
            log.warning("intake: cannot fetch the registry remote (%s); using the last fetched main", exc)
            main = self.repo.local_main()
        if main:
            self.worker.refresh_snapshot(main)
        self.thread = threading.Thread(target=self.worker.run, name="kehto-intake-worker", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.worker.stop()
        if self.thread:
            self.thread.join(timeout=30)

    # -- routes ---------------------------------------------------------------------------------
    async def submit(self, request: Request) -> JSONResponse:
        address = request.client.host if request.client else "unknown"
        wait = self.rate.hit(address)
        if wait:
            return _refusal(Refusal(429, "rate-limited", "Liian monta lähetystä lyhyessä ajassa. Yritä hetken "
                                                         "kuluttua uudelleen."), {"Retry-After": str(wait)})
        try:
            if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
                raise Refusal(415, "unsupported-media-type", "Lähetä tiedot JSON-muodossa (application/json).")
            data = parse_body(await _read_body(request, self.config.max_body))
            if self.pow and not self.pow.verify(data.get("altcha", "")):
                raise Refusal(400, "proof-of-work", "Roskapostisuojan tarkistus ei onnistunut. Lataa lomake "
                                                    "uudelleen ja lähetä uudestaan.")
            project = self.snapshots.project
            if project is None:
                raise Refusal(503, "unavailable", "Palvelu ei ole vielä valmis ottamaan lähetyksiä vastaan. "
                                                  "Yritä hetken kuluttua uudelleen.")
            received = datetime.now(timezone.utc)
            submission = await run_in_threadpool(prepare, data, project, finnish_day(received))
            receipt = new_receipt()
            row = {"receipt": receipt, "kind": submission.kind, "record_id": submission.record_id,
                   "title": submission.title, "received_at": received.isoformat(timespec="seconds"),
                   "content_hash": submission.content_hash, "files": json.dumps(submission.files, ensure_ascii=False),
                   "payload": json.dumps(submission.payload, ensure_ascii=False), "message": submission.message,
                   "client_hash": client_hash(self.salt, address)}
            await run_in_threadpool(self.store.insert, row, submission.new_files)
        except Refusal as refusal:
            return _refusal(refusal, {"Retry-After": "30"} if refusal.status == 503 else None)
        except Conflict as conflict:
            if conflict.receipt:
                return _answer(409, {"error": "duplicate", "receipt": conflict.receipt,
                                     "status_url": self.status_url(conflict.receipt),
                                     "message": "Sama lähetys on jo vastaanotettu; katso sen tila kuitista."})
            return _answer(409, {"error": "conflict", "message": f"Tiedosto {conflict.path} on jo tulossa rekisteriin "
                                 "toisen käsittelyssä olevan lähetyksen mukana. Valitse toinen tunniste."})
        self.worker.wake.set()
        return _answer(202, {"receipt": receipt, "status": "received", "status_label": LABELS["received"],
                             "status_url": self.status_url(receipt), "received_at": row["received_at"],
                             "files": sorted(submission.files)})

    def status_url(self, receipt: str) -> str:
        return f"{self.config.base_url}/api/submissions/{receipt}"

    async def status(self, request: Request) -> JSONResponse:
        receipt = request.path_params["receipt"]
        row = await run_in_threadpool(self.store.get, receipt) if is_receipt(receipt) else None
        if row is None:
            return _answer(404, {"error": "not-found", "message": "Kuittia ei löydy."})
        state = PUBLIC_STATE[row["state"]]
        return _answer(200, {"receipt": receipt, "kind": row["kind"], "status": state, "status_label": LABELS[state],
                             "received_at": row["received_at"],
                             "branch": branch_of(receipt) if row["state"] != "received" else None,
                             "pull_request": row["pull_request"], "message": row["editor_message"],
                             "record_id": row["record_id"], "title": row["title"]})

    async def organisations(self, request: Request) -> JSONResponse:
        prefix = request.query_params.get("prefix", "").strip()[:80]
        project = self.snapshots.project
        found = await run_in_threadpool(check.organisations, project, prefix) if project and prefix else []
        return _answer(200, found)

    async def altcha(self, request: Request) -> JSONResponse:
        if not self.pow:
            return _answer(404, {"error": "not-found", "message": "Roskapostisuoja ei ole käytössä."})
        return _answer(200, self.pow.challenge(), {"Cache-Control": "no-store"})

    async def health(self, request: Request) -> JSONResponse:
        return _answer(200, {"ok": True, "registry": self.snapshots.commit})

    async def openapi(self, request: Request) -> JSONResponse:
        return _answer(200, openapi.document(self.config))


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return _answer(exc.status_code, {"error": "not-found" if exc.status_code == 404 else "http",
                                     "message": HTTP_MESSAGES.get(exc.status_code, "Pyyntöä ei voitu käsitellä.")})


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("intake: unexpected error")
    return _answer(500, {"error": "internal", "message": "Palvelussa tapahtui odottamaton virhe. Yritä myöhemmin "
                                                         "uudelleen; jos virhe toistuu, ilmoita ylläpitäjille."})


def create_app(config: Config) -> Starlette:
    """The intake service as an ASGI application (the worker starts and stops with it)."""
    service = Service(config)

    @asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(service.start)
        yield
        await run_in_threadpool(service.stop)

    routes = [Route("/api/submissions", service.submit, methods=["POST"]),
              Route("/api/submissions/{receipt}", service.status, methods=["GET"]),
              Route("/api/organisations", service.organisations, methods=["GET"]),
              Route("/api/altcha", service.altcha, methods=["GET"]),
              Route("/api/health", service.health, methods=["GET"]),
              Route("/api/openapi.json", service.openapi, methods=["GET"])]
    middleware = [Middleware(CORSMiddleware, allow_origins=list(config.allow_origin), allow_methods=["GET", "POST"],
                             allow_headers=["Content-Type"], max_age=600)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.state.service = service
    return app
