"""The ``perfeval`` command: argument parsing, printing and exit codes — the work is in the layers below."""
from .main import main

__all__ = ["main"]
