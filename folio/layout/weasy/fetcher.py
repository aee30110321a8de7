"""WeasyPrint's URL fetcher, restricted: files of the project and folio's own default styles
and fonts, never anything else, never the network."""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from ...files import is_inside
from ...inputs import read_input
from ...project import Project, default_name


def resolve(url: str, project: Project) -> Path | None:
    """The file a file:// URL stands for, or None if folio may not read it.

    Under the project: that file, except that a template, style or font the project lacks is
    folio's default of the same name. Under folio's defaults: the project's own file of that
    name if it has one (a project's fonts/x.ttf wins even when a default stylesheet names it),
    else the default. Symlinks out, '..', %2e%2e and /dev/… resolve elsewhere and are refused."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parsed.path))
    relative = default_name(path)
    if relative is not None:
        found = project.find(relative)
    elif is_inside(path, project.root):
        found = path if path.exists() else project.find(project.relative(path) or "")
    else:
        return None
    if found is None or not (is_inside(found, project.root) or default_name(found) is not None):
        return None
    return found.resolve() if found.resolve().is_file() else None


def restricted_fetcher(project: Project, refused: list, css_filter=None):
    """A fetcher serving what resolve() allows; everything else (http, data, /dev/…, a symlink
    out) is refused and recorded, so the build reports it as a located error, not a log line.
    css_filter(text, url) → text, if given, rewrites each stylesheet served."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            real = resolve(url, project)
            if real is None:
                refused.append(url)
                raise ValueError(f"folio fetches only files inside the project: {url}")
            kind = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
            try:
                data = read_input(real)
            except OSError as exc:
                refused.append(url)
                raise ValueError(f"cannot read {url}: {exc}") from None
            if css_filter is not None and kind == "text/css":
                data = css_filter(data.decode("utf-8", errors="surrogateescape"), real.as_uri()) \
                    .encode("utf-8", errors="surrogateescape")
            return URLFetcherResponse(real.as_uri(), data, {"Content-Type": kind})

    return ProjectFetcher()
