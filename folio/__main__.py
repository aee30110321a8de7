from .noop import run

run()
