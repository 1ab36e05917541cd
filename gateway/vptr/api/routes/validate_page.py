"""The ``/validate`` page for people: paste or upload a payload, read the report as a table.

Self-contained HTML (inline CSS, no script, nothing fetched from elsewhere), in Dutch or English.
Every value from the payload or the report is escaped.
"""

from __future__ import annotations

from html import escape

from vptr.validation.model_index import model_index
from vptr.validation.report import Report
from vptr.validation.report_text import lines, summary

_TEXT = {
    "nl": {
        "title": "Valideer een bericht",
        "intro": "Plak een bericht (JSON-LD, JSON of Turtle) of kies een bestand, en lees welke "
                 "objecten en eigenschappen niet aan het applicatieprofiel voldoen.",
        "payload": "Bericht", "file": "of een bestand", "type": "Klasse als 'type' ontbreekt",
        "none": "(uit het bericht)", "submit": "Valideer", "report": "Rapport",
        "object": "Object", "property": "Eigenschap", "problem": "Probleem", "value": "Waarde",
        "where": "Plaats", "unreadable": "Het bericht kan niet gelezen worden",
        "other": "English", "lang": "en", "profile": "applicatieprofiel",
    },
    "en": {
        "title": "Validate a payload",
        "intro": "Paste a payload (JSON-LD, JSON or Turtle) or choose a file, and read which "
                 "objects and properties do not meet the application profile.",
        "payload": "Payload", "file": "or a file", "type": "Class when 'type' is missing",
        "none": "(from the payload)", "submit": "Validate", "report": "Report",
        "object": "Object", "property": "Property", "problem": "Problem", "value": "Value",
        "where": "Where", "unreadable": "The payload cannot be read",
        "other": "Nederlands", "lang": "nl", "profile": "application profile",
    },
}

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.5rem}textarea{width:100%;min-height:16rem;font-family:monospace;font-size:.85rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
button{margin-top:1rem;padding:.5rem 1.5rem;font-size:1rem}
table{border-collapse:collapse;width:100%;margin-top:1rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}.ok{color:#1b6e20;font-weight:600}.bad{color:#a4161a;font-weight:600}
code{font-size:.85rem;word-break:break-all}nav{float:right}
"""


def page(lang: str, payload: str = "", type_name: str | None = None,
         report: Report | None = None, error: tuple[str, str | None] | None = None) -> str:
    """The form, with the last payload filled in, and the report (or the reading error) below."""
    t = _TEXT.get(lang, _TEXT["en"])
    classes = sorted(model_index().classes)
    options = [f'<option value="">{escape(t["none"])}</option>'] + [
        f'<option value="{escape(c)}"{" selected" if c == type_name else ""}>{escape(c)}</option>'
        for c in classes
    ]
    parts = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(t['title'])}</title><style>{_STYLE}</style></head><body>",
        f'<nav><a href="/validate?lang={t["lang"]}">{escape(t["other"])}</a></nav>',
        f"<h1>{escape(t['title'])}</h1><p>{escape(t['intro'])}</p>",
        f'<form method="post" action="/validate?lang={lang}" enctype="multipart/form-data">',
        f'<label for="payload">{escape(t["payload"])}</label>',
        f'<textarea id="payload" name="payload" spellcheck="false">{escape(payload)}</textarea>',
        f'<label for="file">{escape(t["file"])}</label>',
        '<input id="file" name="file" type="file" accept=".json,.jsonld,.ttl,.nt">',
        f'<label for="type">{escape(t["type"])}</label>',
        f'<select id="type" name="type">{"".join(options)}</select>',
        f'<div><button type="submit">{escape(t["submit"])}</button></div></form>',
    ]
    if error is not None:
        reason, field = error
        where = f" ({escape(field)})" if field else ""
        parts.append(f'<h2>{escape(t["report"])}</h2><p class="bad">{escape(t["unreadable"])}'
                     f"{where}: {escape(reason)}</p>")
    elif report is not None:
        parts.append(_report(report, lang, t))
    parts.append("</body></html>")
    return "".join(parts)


def _report(report: Report, lang: str, t: dict[str, str]) -> str:
    css = "ok" if report.conforms else "bad"
    out = [f'<h2>{escape(t["report"])}</h2><p class="{css}">{escape(summary(report, lang))}</p>']
    rows = lines(report, lang)
    if not rows:
        return "".join(out)
    out.append(f"<table><thead><tr><th>{escape(t['object'])}</th><th>{escape(t['property'])}"
               f"</th><th>{escape(t['problem'])}</th><th>{escape(t['value'])}</th>"
               f"<th>{escape(t['where'])}</th></tr></thead><tbody>")
    for row in rows:
        value = f"<code>{escape(row.value)}</code>" if row.value is not None else ""
        where = f"<code>{escape(row.pointer)}</code>" if row.pointer else ""
        out.append(f"<tr><td>{escape(row.object)}</td><td>{escape(row.property)}</td>"
                   f"<td>{escape(row.message)}</td><td>{value}</td><td>{where}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)
