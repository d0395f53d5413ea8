from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# Raw HTML is escaped, and markdown-it refuses javascript: and data: links: module text that an
# admin edits cannot inject script into a trainee's page.
_renderer = MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text: str) -> SafeString:
    return mark_safe(_renderer.render(text))  # noqa: S308 - escaped by the renderer above
