"""Watch and preview: rebuild on save, serve build/html/ on 127.0.0.1, reload the browser.

The live-reload script is added to pages as they are served, never to the files on disk."""
from __future__ import annotations

import html
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .files import is_inside
from .project import Project

RELOAD = b"""<script>(function () {
  var box; var events = new EventSource("/__folio/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("problems", function (e) {
    if (!box) { box = document.createElement("pre"); box.id = "folio-problems";
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;margin:0;padding:1em;" +
        "background:#fff4d6;color:#8a5a00;border-top:2px solid #8a5a00;max-height:40vh;overflow:auto;z-index:99";
      document.body.appendChild(box); }
    box.textContent = JSON.parse(e.data).join("\\n"); box.hidden = !box.textContent;
  });
})();</script>"""


class State:
    """What the browser needs to know: a build counter and the last build's problems."""

    def __init__(self):
        self.version = 0
        self.problems: list[str] = []
        self.changed = threading.Condition()

    def publish(self, problems: list[str], rebuilt: bool) -> None:
        with self.changed:
            self.problems = problems
            self.version += 1 if rebuilt else 0
            self.changed.notify_all()


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves only files under the HTML folder; pages get the reload script."""

    def __init__(self, *args, state: State, root: Path, **kwargs):
        self.state, self.root = state, root
        super().__init__(*args, directory=str(root), **kwargs)

    def log_message(self, *args):  # the terminal is for build messages
        pass

    def do_GET(self):
        if self.path == "/__folio/events":
            return self._events()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not is_inside(path, self.root) or not path.is_file():
            return self.send_error(404, "Not in build/html/")
        if path.suffix == ".html":
            return self._page(path)
        return super().do_GET()

    def _page(self, path: Path):
        body = path.read_bytes().replace(b"</body>", RELOAD + b"</body>", 1)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.state.version
        try:
            self._send("problems", self.state.problems)
            while True:
                with self.state.changed:
                    self.state.changed.wait(timeout=15)
                    version, problems = self.state.version, self.state.problems
                self._send("problems", problems)
                if version != seen:
                    self._send("reload", [])
                    seen = version
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, event: str, data) -> None:
        self.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


def make_server(project: Project, state: State, port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server on the loopback interface only."""
    root = (project.out_dir / "html").resolve()
    root.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(PreviewHandler, state=state, root=root))
    server.daemon_threads = True
    return server


def watched_paths(project: Project) -> list[Path]:
    return [project.source.parent, project.templates, project.styles]


def watch(project: Project, on_change, stop_event=None, quiet_ms: int = 200) -> None:
    """Call on_change(changed paths) once per burst of saves; writes under build/ never count.

    A burst ends after quiet_ms without a new event (an editor's save is several events a
    few milliseconds apart); a long stream of events is cut every 2 s."""
    import watchfiles

    out = project.out_dir.resolve()

    def interesting(change, path: str) -> bool:
        resolved = Path(path).resolve()
        return (watchfiles.DefaultFilter()(change, path) and out != resolved
                and out not in resolved.parents)

    for batch in watchfiles.watch(*watched_paths(project), watch_filter=interesting,
                                  debounce=2000, step=quiet_ms, stop_event=stop_event,
                                  raise_interrupt=False):
        on_change(sorted({path for _, path in batch}))


def problem_lines(reporter) -> list[str]:
    return [html.unescape(str(m)) for m in reporter.messages]
