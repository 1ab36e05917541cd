"""The HTML specification: every class with its properties, in Dutch and English, with a diagram."""

from __future__ import annotations

import html

from .model_loader import LoadedModel
from .terms import Terms


def build_html(model: LoadedModel, terms: Terms) -> str:
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="nl">', "<head><meta charset=\"utf-8\">",
             f"<title>{esc(model.view.schema.title or model.view.schema.name)}</title></head>", "<body>"]
    for cls in terms.classes.values():
        parts.append(f'<section id="{esc(cls.name)}"><h2>{esc(cls.labels.nl)} / {esc(cls.labels.en)}</h2>')
        parts.append(f"<p>{esc(cls.labels.definition_nl)}</p><p>{esc(cls.labels.definition_en)}</p>")
        parts.append("<table>")
        for prop in cls.properties:
            parts.append(f"<tr><td>{esc(prop.name)}</td><td>{esc(prop.labels.nl)}</td>"
                         f"<td>{esc(prop.labels.en)}</td></tr>")
        parts.append("</table></section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
