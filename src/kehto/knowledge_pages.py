"""The knowledge base's pages: support menu, question banks, process guides and the plan template.

Called by :func:`kehto.site.generate`. Every page of a knowledge record is in
the search (``data-pagefind-body``) with a ``tyyppi`` filter, so the search can
be narrowed to one kind of record.
"""

from __future__ import annotations

from .workbook import PLAN_HELP, plan_csv, plan_xlsx
from .knowledge import PLAN_COLUMNS, TEMPLATES, URGENCY
from .registry import Registry
from . import urls



def knowledge_pages(render, registry: Registry) -> list:
    """Every page and download of the knowledge base."""
    banks = sorted(registry.question_banks.values(), key=lambda b: b.title.casefold())
    guides = sorted(registry.processes.values(), key=lambda g: g.title.casefold())
    plans = sorted(registry.plans.values(), key=lambda p: p.title.casefold())
    used_by = {bank.id: [g for g in guides if bank.id in g.question_banks] for bank in banks}
    menu = registry.support_menu
    index = (lambda name: urls.source(urls.section(name)))
    pages = [render.page("methods.md.j2", index("methods")),
             render.page("support_menu.md.j2", index("support_menu"), menu.path if menu else None, menu=menu),
             render.page("knowledge_index.md.j2", index("question_banks"), kind="question-bank", items=banks),
             render.page("knowledge_index.md.j2", index("processes"), kind="process", items=guides)]
    for bank in banks:
        pages.append(render.page("question_bank.md.j2", urls.source(urls.question_bank(bank.id)), bank.path or None,
                                 b=bank, guides=used_by[bank.id]))
    for guide in guides:
        pages.append(render.page("process.md.j2", urls.source(urls.process(guide.id)), guide.path or None, g=guide,
                                 templates=TEMPLATES))
    pages.append(render.page("plan_template.md.j2", urls.source(urls.template()), columns=PLAN_COLUMNS, help=PLAN_HELP,
                             plans=plans, guides=[g for g in guides if any("kehittamissuunnitelma" in s.templates
                                                                           for s in g.steps)]))
    title = TEMPLATES["kehittamissuunnitelma"]
    pages.append(render.file(urls.plan_file("csv"), plan_csv()))
    pages.append(render.file(urls.plan_file("xlsx"), plan_xlsx(title)))
    for plan in plans:
        pages.append(render.page("plan.md.j2", urls.source(urls.plan(plan.id)), plan.path or None, plan=plan, columns=PLAN_COLUMNS,
                                 urgency=URGENCY))
        pages.append(render.file(urls.plan_file("csv", plan.id), plan_csv(plan.rows)))
        pages.append(render.file(urls.plan_file("xlsx", plan.id), plan_xlsx(plan.title, plan.rows, blank_rows=5)))
    return pages
