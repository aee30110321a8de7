"""What folio changes in WeasyPrint's layout functions, installed the one way: a wrapper per
function and purpose, once per process (the single pass and every layout worker install them
before laying anything out). A wrapper carries the marks of the function it wraps, so each
folio wrapper sees it is already there whatever order they were installed in; without that,
every layout wrapped split_first_line again, and each layer asked the one below twice."""
from __future__ import annotations


def wrap_once(owner, name: str, mark: str, make) -> None:
    """owner.name = make(owner.name), unless a wrapper marked `mark` is already in place."""
    current = getattr(owner, name)
    if getattr(current, mark, False):
        return
    wrapper = make(current)
    wrapper.__dict__.update(current.__dict__)
    setattr(wrapper, mark, True)
    setattr(owner, name, wrapper)
