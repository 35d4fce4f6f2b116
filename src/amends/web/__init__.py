"""Server-rendered pages (Jinja2 + HTMX). Thin: every route calls a capability."""
