"""The terminal's view of a build in progress (rich): one line per task (reading, html, pdf,
docx) with what it is doing, how far it is when that is counted, and its time. Transient: the
summary lines that follow the build replace it."""
from __future__ import annotations

import threading

FINISHED = {"done", "read"}


class Display:
    """show(task, text, done, total) from any thread; nothing is drawn until the first call."""

    def __init__(self):
        self.lock = threading.Lock()
        self.bar = None
        self.tasks: dict[str, int] = {}

    def show(self, task: str, text: str, done: int | None = None, total: int | None = None) -> None:
        with self.lock:
            if self.bar is None:
                self.bar = _progress()
                self.bar.start()
            if task not in self.tasks:
                self.tasks[task] = self.bar.add_task(text, name=task, total=total)
            if text in FINISHED:              # a full bar, the clock stopped
                total = done = 1
            fields = {"completed": done} if done is not None else {}
            self.bar.update(self.tasks[task], description=text, total=total, **fields)

    def stop(self) -> None:
        with self.lock:
            if self.bar is not None:
                self.bar.stop()
                self.bar = None


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.fields[name]:<6}"), TextColumn("{task.description}"),
                    BarColumn(bar_width=24), TimeElapsedColumn(), console=Console(stderr=True), transient=True,
                    refresh_per_second=8)
