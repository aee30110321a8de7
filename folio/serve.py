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


ALLOWED_HOSTS = ("127.0.0.1", "localhost")
IDLE_SECONDS = 10          # a connection idle this long is closed (the event stream sends every 5 s)
MAX_CONNECTIONS = 64


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
    """Serves only files under the HTML folder, to a browser that asked for this machine by
    name (a page from elsewhere that rebinds its own host name to 127.0.0.1 gets nothing);
    pages get the reload script. GET and HEAD go through the same checks."""

    timeout = IDLE_SECONDS             # a connection that sends nothing is closed

    def __init__(self, *args, state: State, root: Path, **kwargs):
        self.state, self.root = state, root
        super().__init__(*args, directory=str(root), **kwargs)

    def log_message(self, *args):  # the terminal is for build messages
        pass

    def do_GET(self):
        if not self._host_allowed():
            return self.send_error(403, "This preview answers only to 127.0.0.1 and localhost")
        if self.path == "/__folio/events":
            return self._events()
        path = self._checked_path()
        if path is None:
            return self.send_error(404, "Not in build/html/")
        if path.suffix == ".html":
            return self._page(path)
        return super().do_GET()

    def do_HEAD(self):
        if not self._host_allowed():
            return self.send_error(403, "This preview answers only to 127.0.0.1 and localhost")
        if self._checked_path() is None:
            return self.send_error(404, "Not in build/html/")
        return super().do_HEAD()

    def _checked_path(self) -> Path | None:
        """The file a request names, if it lies under the HTML folder (symlinks followed)."""
        try:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            return path if is_inside(path, self.root) and path.is_file() else None
        except (OSError, ValueError):
            return None

    def _host_allowed(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
        return name in ALLOWED_HOSTS and port in ("", str(self.server.server_address[1]))

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
                    self.state.changed.wait(timeout=IDLE_SECONDS / 2)
                    version, problems = self.state.version, self.state.problems
                self._send("problems", problems)
                if version != seen:
                    self._send("reload", [])
                    seen = version
        except (ConnectionError, TimeoutError):
            pass                               # the page was closed

    def _send(self, event: str, data) -> None:
        self.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    """At most MAX_CONNECTIONS at once (each one a thread), and quiet when a client hangs up."""

    daemon_threads = True

    def __init__(self, address, handler):
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)     # too many held connections: drop the newest
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address):
        pass  # a browser that closed its tab, a client that timed out: nothing to tell the user


def make_server(project: Project, state: State, port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server on the loopback interface only (OSError if the port is taken)."""
    root = (project.out_dir / "html").resolve()
    root.mkdir(parents=True, exist_ok=True)
    return PreviewServer(("127.0.0.1", port), partial(PreviewHandler, state=state, root=root))


def watched_paths(project: Project) -> list[Path]:
    return [project.source.parent, project.templates, project.styles]


def watch(project: Project, on_change, stop_event=None, quiet_ms: int = 100, on_error=None) -> None:
    """Call on_change(changed paths) once per burst of saves; writes under build/ never count.
    An exception in on_change goes to on_error, and the watching goes on.

    A burst ends after quiet_ms without a new event (an editor's save is several events a
    few milliseconds apart; the wait is part of the second a correction takes to show in the
    HTML); a long stream of events is cut every 2 s."""
    import watchfiles

    out = project.out_dir.resolve()

    def interesting(change, path: str) -> bool:
        resolved = Path(path).resolve()
        return (watchfiles.DefaultFilter()(change, path) and out != resolved
                and out not in resolved.parents)

    for batch in watchfiles.watch(*watched_paths(project), watch_filter=interesting,
                                  debounce=2000, step=quiet_ms, stop_event=stop_event,
                                  raise_interrupt=False):
        changed = sorted({path for _, path in batch})
        try:
            on_change(changed)
        except Exception as exc:  # noqa: BLE001 - a rebuild must never end the watcher
            (on_error or _ignore)(exc)


def _ignore(exc: Exception) -> None:
    pass


def hold_office(project: Project, stop_event: threading.Event, every: float = 120.0) -> threading.Thread:
    """While the watcher runs, the LibreOffice its builds started stays (each build's Word file
    skips LibreOffice's start): a thread tells it so every two minutes, and ends it when the
    watcher stops. Killed outright, the watcher leaves it to end itself after its idle time."""
    from .writers.docx import office

    def hold():
        while not stop_event.wait(every):
            office.touch(project.out_dir)
        office.stop(project.out_dir)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    return thread


def problem_lines(reporter) -> list[str]:
    return [html.unescape(str(m)) for m in reporter.messages]
