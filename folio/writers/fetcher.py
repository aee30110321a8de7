"""WeasyPrint's URL fetcher, restricted: files under the project only, never the network."""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..files import is_inside
from ..inputs import read_input


def restricted_fetcher(root: Path, refused: list):
    """A fetcher serving file:// URLs that resolve (symlinks, '..', %2e%2e) under root.

    Everything else (http, data, /dev/…, a symlink out) is refused and recorded, so the
    build can report it as a located error instead of a log line."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)) if parsed.scheme == "file" else None
            if (path is None or parsed.netloc not in ("", "localhost") or not is_inside(path, root)
                    or not path.resolve().is_file()):
                refused.append(url)
                raise ValueError(f"folio fetches only files inside the project: {url}")
            real = path.resolve()
            kind = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
            try:
                data = read_input(real)
            except OSError as exc:
                refused.append(url)
                raise ValueError(f"cannot read {url}: {exc}") from None
            return URLFetcherResponse(real.as_uri(), data, {"Content-Type": kind})

    return ProjectFetcher()
