"""Descriptions as a small, safe subset of Markdown: paragraphs, line breaks, bullet and numbered lists, bold, links.

PTV's descriptions are Markdown, and coordinators type the same "- item" lists by hand. The text is escaped first and
only then turned into those few tags; nh3 then cleans the result against the same short allowlist, so nothing a
description holds can add a script, a style or an event handler to the page, whatever this converter gets wrong.
"""

import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "a"}
BULLET = re.compile(r"^\s*[-*•]\s+")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")


def _inline(text: str) -> str:
    text = BOLD.sub(r"<strong>\1</strong>", text)
    return LINK.sub(r'<a href="\2">\1</a>', text)


def _block(lines: list[str]) -> list[str]:
    """One paragraph block: runs of list items become lists, the other lines a paragraph with line breaks."""
    parts, run, kind = [], [], None
    for line in lines:
        line_kind = "ul" if BULLET.match(line) else "ol" if NUMBERED.match(line) else "p"
        if line_kind != kind and run:
            parts.append(_render(kind, run))
            run = []
        kind = line_kind
        run.append(line)
    if run:
        parts.append(_render(kind, run))
    return parts


def _render(kind: str, lines: list[str]) -> str:
    if kind == "p":
        return "<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>"
    pattern = BULLET if kind == "ul" else NUMBERED
    items = "".join(f"<li>{_inline(pattern.sub('', line).strip())}</li>" for line in lines)
    return f"<{kind}>{items}</{kind}>"


def render_markdown(text: str) -> SafeString:
    if not text:
        return mark_safe("")  # noqa: S308
    escaped = html.escape(text.replace("\r\n", "\n"), quote=True)
    blocks = [block.split("\n") for block in re.split(r"\n\s*\n", escaped.strip())]
    rendered = "".join(part for lines in blocks for part in _block([line for line in lines if line.strip()]))
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (escaped above, cleaned by nh3)
