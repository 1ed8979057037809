"""Text written in Markdown, as every page shows it: rendered by markdown-it-py (CommonMark,
with tables and strikethrough) and then sanitised by nh3 (Ammonia), which keeps only the
tags and attributes below and drops everything else, scripts and event handlers included.
The one place Markdown becomes HTML: the `markdown` template filter (site_tags) calls it."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

#: What the rendered text may hold: what Markdown writes, and no more.
TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def markdown_html(text: str) -> SafeString:
    """`text` (Markdown) as safe HTML. A heading of level 1 becomes level 2: the page has
    its own."""
    html = _PARSER.render(text or "").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3 just above)
