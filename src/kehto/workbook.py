"""The development plan as files a supervisor opens: CSV and an .xlsx workbook.

The columns are :data:`kehto.knowledge.PLAN_COLUMNS`; the empty template and every
plan record share them. Workbooks are written with openpyxl and made reproducible
(no timestamps inside), so a rebuild gives the same bytes. Contributed text never becomes
a formula: the CSV gets the exports' apostrophe guard, the workbook stores such text as a
string cell with Excel's own "quote prefix" (what typing ``'=...`` in Excel does).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Iterable

from .export import looks_like_formula, table_csv
from .knowledge import PLAN_COLUMNS, URGENCY


def plan_csv(rows: Iterable[dict] = ()) -> str:
    """A development plan (or the empty template) as CSV in the template's columns."""
    return table_csv([label for _, label in PLAN_COLUMNS],
                     [[row.get(key, "") for key, _ in PLAN_COLUMNS] for row in rows])


def plan_xlsx(title: str, rows: Iterable[dict] = (), blank_rows: int = 20) -> bytes:
    """A development plan as an .xlsx workbook a supervisor can fill in.

    The header row is frozen and bold, urgency accepts only 1–3, and the
    second sheet explains the columns. Empty rows follow any filled ones.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "Kehittämissuunnitelma"
    sheet.append([label for _, label in PLAN_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE8F4")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    filled = 0
    for row in rows:
        sheet.append([row.get(key, "") for key, _ in PLAN_COLUMNS])
        _keep_as_text(sheet[sheet.max_row])
        filled += 1
    last = 1 + filled + blank_rows
    for index, (key, _) in enumerate(PLAN_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 14 if key == "urgency" else 30
        if key == "urgency":
            rule = DataValidation(type="whole", operator="between", formula1="1", formula2="3", allow_blank=True,
                                  error="Kirjoita 1, 2 tai 3.", errorTitle="Kiireellisyys")
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{last}")
    for line in sheet.iter_rows(min_row=2, max_row=last):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    guide = book.create_sheet("Ohje")
    guide.append([title])
    _keep_as_text(guide[1])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([])
    guide.append(["Sarake", "Mitä siihen kirjoitetaan"])
    for key, label in PLAN_COLUMNS:
        guide.append([label, PLAN_HELP[key]])
    guide.append([])
    guide.append(["Kiireellisyys", ", ".join(URGENCY.values())])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    book.properties.creator = "kehto"
    book.properties.created = _FIXED_TIME
    out = io.BytesIO()
    book.save(out)
    return _reproducible_zip(out.getvalue())


def _keep_as_text(cells) -> None:
    """Store formula-like text as a plain string: openpyxl would otherwise write any value
    starting with ``=`` as a live formula. The quote prefix shows the text exactly as written
    (no visible apostrophe, unlike CSV) and keeps it text when someone edits the cell."""
    for cell in cells:
        if looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


_FIXED_TIME = datetime(2020, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _reproducible_zip(data: bytes) -> bytes:
    """The same archive with fixed times (entries and the "modified" property openpyxl sets to now),
    so a rebuild gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>2020-01-01T00:00:00Z\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


PLAN_HELP = {
    "target": "Asia, jota halutaan parantaa, esimerkiksi kyselyn heikko tulos tai arjen ongelma.",
    "goal": "Mitä halutaan saavuttaa: konkreettinen ja mahdollisimman mitattava tila.",
    "measure": "Mistä huomataan, että tavoite on saavutettu (esimerkiksi kyselyn kohta tai tunnusluku).",
    "action": "Mitä käytännössä tehdään.",
    "responsible": "Kuka vastaa toimenpiteestä ja kuka osallistuu.",
    "schedule": "Milloin toimenpide tehdään tai valmistuu.",
    "urgency": "1 = heti, 2 = lähiaikoina, 3 = myöhemmin.",
    "follow_up": "Kuka seuraa, milloin ja miten arvioidaan.",
}
