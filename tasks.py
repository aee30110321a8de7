"""Project tasks (pyinvoke). Each is a thin call into the folio package."""
from invoke import task

SOURCE = "source/report.md"


def _folio(c, *args):
    """Run folio's command line in this process (no second interpreter start-up)."""
    from folio.cli import main
    try:
        main([a for a in args if a], prog_name="folio")
    except SystemExit as exc:
        if exc.code:
            raise


@task
def build(c, strict=False):
    """Build every format into build/."""
    _folio(c, "build", SOURCE, "--strict" if strict else "")


@task
def html(c):
    """Build the HTML edition into build/html/."""
    _folio(c, "build", SOURCE, "--format", "html")


@task
def pdf(c):
    """Build the print-ready PDF into build/."""
    _folio(c, "build", SOURCE, "--format", "pdf")


@task
def docx(c):
    """Build the Word file into build/."""
    _folio(c, "build", SOURCE, "--format", "docx")


@task
def watch(c, port=8000):
    """Rebuild on save and preview the HTML on http://127.0.0.1:PORT/ with live reload."""
    _folio(c, "serve", SOURCE, "--port", str(port))


@task
def check(c, strict=False):
    """Check the source (references, abbreviations, front matter) without writing outputs."""
    _folio(c, "check", SOURCE, "--strict" if strict else "")


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
