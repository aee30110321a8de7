"""Tasks of this report (pyinvoke): `invoke build`, `invoke check`, `invoke watch` …"""
from invoke import task

SOURCE = "source/report.md"


def _folio(*args):
    from folio.cli import main
    try:
        main([a for a in args if a], prog_name="folio")
    except SystemExit as exc:
        if exc.code:
            raise


@task
def build(c, strict=False):
    """Build the PDF, the Word file and the HTML into build/."""
    _folio("build", SOURCE, "--strict" if strict else "")


@task
def html(c):
    _folio("build", SOURCE, "--format", "html")


@task
def pdf(c):
    _folio("build", SOURCE, "--format", "pdf")


@task
def docx(c):
    _folio("build", SOURCE, "--format", "docx")


@task
def check(c, strict=False):
    """Check the source without writing anything."""
    _folio("check", SOURCE, "--strict" if strict else "")


@task
def watch(c, port=8000):
    """Rebuild on save; preview the HTML on http://127.0.0.1:PORT/."""
    _folio("serve", SOURCE, "--port", str(port))


@task
def clean(c):
    """Remove build/."""
    import shutil
    shutil.rmtree("build", ignore_errors=True)
