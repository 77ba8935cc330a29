"""What the commands share to speak: the exit codes, standard output whose failures are messages, the
progress line on a terminal, and the writing of a command's result to standard output or a file."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TextIO

from ofsted_kg.errors import OutputError

EXIT_OK = 0
EXIT_REJECTED = 1  # some input was rejected; the rest was built
EXIT_USAGE = 2
EXIT_INVALID = 3  # the graph broke the SHACL shapes; nothing was written

REPORT_LIMIT = 50


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def say(message: str) -> None:
    print(f"ofsted-kg: {message}", file=sys.stderr)


class StandardOutput:
    """sys.stdout, whose failures to write (a full disk, /dev/full) are a message, not a traceback."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(f"cannot write to standard output ({error.strerror or error})") from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(f"cannot write to standard output ({error.strerror or error})") from None

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


def drop_stdout() -> None:
    """What is left to write to standard output goes nowhere (Python writes it at exit, and would fail
    again)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file behind it (a test's capture)
        pass


class ProgressBar:
    """One line on a terminal, redrawn in place: a bar, the count and what is being done."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, doing: str, done: int, total: int) -> None:
        filled = self.WIDTH * done // total if total else self.WIDTH
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {doing}"
        columns = shutil.get_terminal_size().columns
        self.stream.write("\r\033[K" + line[: max(columns - 1, 10)])
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


def check_output(output: Path | None) -> None:
    """Refuse, before any work, an --output that is not a file to write (see outputs)."""
    if output is not None and str(output) != "-":
        from ofsted_kg.outputs import check_file

        check_file(output)


def emit(text: str, output: Path | None) -> None:
    """A command's result to standard output, or (--output FILE) to a file replaced atomically."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from ofsted_kg.folder import write_atomic

    try:
        write_atomic(output, text)
    except OSError as error:
        raise OutputError(f"{output}: cannot be written ({error.strerror or error})") from None

    print(f"wrote {output}", file=sys.stderr)
