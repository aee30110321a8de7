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


def _each(command, *args):
    """Run a command on the report and on each language version beside it (report.fr.md …,
    built into build/fr/): every one is run, and the task fails if any failed."""
    from folio.versions import with_versions
    failed = []
    for source in with_versions(SOURCE):
        try:
            _folio(command, source, *args)
        except SystemExit:
            failed.append(source)
    if failed:
        raise SystemExit(1)


@task
def build(c, strict=False):
    """Build the PDF, the Word file and the HTML into build/."""
    _each("build", "--strict" if strict else "")


@task
def html(c):
    _each("build", "--format", "html")


@task
def pdf(c):
    _each("build", "--format", "pdf")


@task
def docx(c):
    _each("build", "--format", "docx")


@task
def check(c, strict=False):
    """Check the source without writing anything."""
    _each("check", "--strict" if strict else "")


@task
def watch(c, port=8000):
    """Rebuild on save; preview the HTML on http://127.0.0.1:PORT/."""
    _folio("serve", SOURCE, "--port", str(port))


@task
def clean(c):
    """Remove build/."""
    import shutil
    shutil.rmtree("build", ignore_errors=True)
