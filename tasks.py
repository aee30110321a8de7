"""Project tasks (pyinvoke). Each is a thin call into the folio package."""
from invoke import task

SOURCE = "source/report.md"


def _folio(c, *args):
    """Run folio's command line in this process (no second interpreter start-up); a build with
    nothing to do is answered before folio's command line is even imported (folio.noop)."""
    from folio.noop import answer
    if answer(list(args)):
        return
    from folio.cli import main
    try:
        main([a for a in args if a], prog_name="folio")
    except SystemExit as exc:
        if exc.code:
            raise


def _each(c, command, *args):
    """Run a command on the report and on each language version beside it (report.fr.md …,
    built into build/fr/): every one is run, and the task fails if any failed."""
    from folio.versions import with_versions
    failed = []
    for source in with_versions(SOURCE):
        try:
            _folio(c, command, source, *args)
        except SystemExit:
            failed.append(source)
    if failed:
        raise SystemExit(1)


@task
def build(c, strict=False):
    """Build every format into build/."""
    _each(c, "build", "--strict" if strict else "")


@task
def html(c):
    """Build the HTML edition into build/html/."""
    _each(c, "build", "--format", "html")


@task
def pdf(c):
    """Build the print-ready PDF into build/."""
    _each(c, "build", "--format", "pdf")


@task
def docx(c):
    """Build the Word file into build/."""
    _each(c, "build", "--format", "docx")


@task
def watch(c, port=8000):
    """Rebuild on save and preview the HTML on http://127.0.0.1:PORT/ with live reload."""
    _folio(c, "serve", SOURCE, "--port", str(port))


@task
def check(c, strict=False):
    """Check the source (references, abbreviations, front matter) without writing outputs."""
    _each(c, "check", "--strict" if strict else "")


@task
def test(c):
    """Run the test suite (on every core)."""
    c.run("python -m pytest", pty=False)


@task
def fast(c):
    """Run the fast tier: no PDF layout, LibreOffice or browser (under a minute)."""
    c.run('python -m pytest -m "not slow"', pty=False)


@task
def clean(c):
    """Remove build/."""
    import shutil
    shutil.rmtree("build", ignore_errors=True)
