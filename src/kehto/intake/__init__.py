"""``kehto intake``: a small web service that receives submissions from people without GitHub.

A thin adapter over the core: request → :func:`kehto.intake.check.check_files`
(the rules of ``kehto validate``, in memory) → :class:`~kehto.intake.store.Store`
(SQLite, committed before the answer) → :mod:`kehto.intake.worker` (one branch
``intake/<receipt>`` per submission in the registry's git remote, and a pull
request where a GitHub token is configured).

Only this subpackage imports Starlette and uvicorn (the ``intake`` extra); the
static site never needs them.
"""
