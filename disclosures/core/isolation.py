"""Run extraction in a forked child with a memory and time limit, so a hostile file cannot take the worker down.

pdfium inflates content streams and builds every page object before we can count anything, and it aborts the
whole process (SIGABRT) when an allocation fails. Measured on this code: a 66 KB PDF whose page draws one 64 MB
FlateDecode stream 64 times grew a worker to 4.2 GB; a 315 KB PDF with a compressed stream of two million text
operators grew it to 11 GB and took two minutes before the page character cap could say no. In-process limits
cannot stop that, so the parse runs in a child: the child gets an address-space limit (``RLIMIT_AS``, counted
on top of what it inherited) and a deadline, and whatever happens to it — an abort, a segfault, a hang — the
parent turns into an ``ExtractionError`` with a plain reason. The worker itself never sees more than the text.

The child talks back over a pipe in JSON frames (progress, then one result), never pickle: it has just parsed
attacker-controlled bytes, so the parent trusts nothing it sends beyond plain data. Pure Python, no Django.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import resource
import select
import signal
import struct
import time
from collections.abc import Callable
from typing import Any

from disclosures.core.extraction import BOMB, CORRUPT, TOO_SLOW, extract
from disclosures.core.types import ExtractedDocument, ExtractionError

DEFAULT_MEMORY_BYTES = 768 * 1024 * 1024
GRACE_SECONDS = 2.0  # beyond the extraction's own time limit, for it to say so itself with its own reason
_HEADER = struct.Struct("!I")
_MAX_FRAME = 512 * 1024 * 1024  # a result frame holds at most the capped text, JSON-escaped

ProgressCallback = Callable[[int, int], None]


class IsolatedExtractionCrashError(RuntimeError):
    """Extraction raised something other than ``ExtractionError`` in the child: a bug, reported as one."""


def extract_isolated(
    data: bytes,
    *,
    time_limit: float,
    memory_limit: int = DEFAULT_MEMORY_BYTES,
    on_progress: ProgressCallback | None = None,
    **options: Any,
) -> ExtractedDocument:
    """``extract(data, ...)`` in a child process; same result, same ``ExtractionError``s, plus three of its own.

    ``memory_limit`` is the address space the child may add to what it inherited; ``time_limit`` is passed to
    ``extract`` and, with a little grace, enforced from outside with SIGKILL. ``on_progress`` runs here, in the
    caller's process (it usually writes to the database).
    """
    if not hasattr(os, "fork"):  # not POSIX: no isolation to be had, read in-process as before
        return extract(data, time_limit=time_limit, on_progress=on_progress, **options)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, data, time_limit=time_limit, memory_limit=memory_limit, options=options)
    os.close(write_end)
    try:
        outcome = _collect(
            pid, read_end, deadline=time.monotonic() + time_limit + GRACE_SECONDS, on_progress=on_progress
        )
    finally:
        os.close(read_end)
        _reap(pid)
    return _result(outcome, time_limit=time_limit, memory_limit=memory_limit)


# --- the child ------------------------------------------------------------------------------------------------


def _child(fd: int, data: bytes, *, time_limit: float, memory_limit: int, options: dict[str, Any]) -> None:
    status = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a Celery child's handlers must not run in here
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        faulthandler.disable()  # an abort on a bomb is expected here: no interpreter dump into the worker's log
        _limit_memory(memory_limit)
        # If our parent dies (a Celery hard time limit kills only it), CPU time still ends the child.
        cpu = int(time_limit + GRACE_SECONDS) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

        def progress(done: int, total: int) -> None:
            _send(fd, {"progress": [done, total]})

        try:
            document = extract(data, time_limit=time_limit, on_progress=progress, **options)
        except ExtractionError as error:
            _send(fd, {"error": [error.code, error.reason]})
        except MemoryError:
            _send(fd, {"memory": True})
        else:
            _send(fd, {"document": [document.kind, list(document.pages), document.title, document.reporting_period]})
    except BaseException as error:  # the child reports everything and exits; it never unwinds into the caller
        with contextlib.suppress(BaseException):
            _send(fd, {"exception": type(error).__name__})
        status = 1
    finally:
        os._exit(status)


def _limit_memory(extra: int) -> None:
    """Cap the address space at what the child inherited plus ``extra``: the fork's size varies by host process."""
    inherited = _address_space()
    if inherited is None:
        return
    limit = inherited + extra
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _send(fd: int, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode("utf-8")
    view = memoryview(_HEADER.pack(len(body)) + body)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# --- the parent -----------------------------------------------------------------------------------------------


class _Outcome:
    def __init__(self) -> None:
        self.message: dict[str, Any] | None = None
        self.timed_out = False
        self.signal: int | None = None
        self.exit_code: int | None = None


def _collect(pid: int, fd: int, *, deadline: float, on_progress: ProgressCallback | None) -> _Outcome:
    outcome = _Outcome()
    buffer = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            outcome.timed_out = True
            _kill(pid)
            return outcome
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        buffer += chunk
        for message in _frames(buffer):
            if "progress" in message and on_progress is not None:
                done, total = message["progress"]
                on_progress(int(done), int(total))
            elif "progress" not in message:
                outcome.message = message
    _, status = os.waitpid(pid, 0)
    outcome.signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    outcome.exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    return outcome


def _frames(buffer: bytearray) -> list[dict[str, Any]]:
    """Pop every complete frame off the front of ``buffer``."""
    messages = []
    while len(buffer) >= _HEADER.size:
        (size,) = _HEADER.unpack_from(buffer)
        if size > _MAX_FRAME:
            raise ExtractionError(CORRUPT, "The file could not be read safely.")
        if len(buffer) < _HEADER.size + size:
            break
        body = bytes(buffer[_HEADER.size : _HEADER.size + size])
        del buffer[: _HEADER.size + size]
        message = json.loads(body)
        if isinstance(message, dict):
            messages.append(message)
    return messages


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> None:
    """Make sure the child is gone (the caller may be unwinding from an exception in ``on_progress``)."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            _kill(pid)
            os.waitpid(pid, 0)


def _result(outcome: _Outcome, *, time_limit: float, memory_limit: int) -> ExtractedDocument:
    message = outcome.message or {}
    if "document" in message:
        kind, pages, title, period = message["document"]
        return ExtractedDocument(
            kind=str(kind), pages=tuple(map(str, pages)), title=str(title), reporting_period=str(period)
        )
    if "error" in message:
        code, reason = message["error"]
        raise ExtractionError(str(code), str(reason))
    if outcome.timed_out:
        raise ExtractionError(
            TOO_SLOW,
            f"Reading this file took longer than the {time_limit:g}-second limit; "
            "upload a smaller or simpler file, or paste the text.",
        )
    if "exception" in message:
        # A bug in extraction, not bad input: the caller's own error handling (internal_error) takes it.
        raise IsolatedExtractionCrashError(f"extraction raised {message['exception']} in the child process")
    megabytes = memory_limit // (1024 * 1024)
    if "memory" in message or outcome.signal == signal.SIGABRT:
        raise ExtractionError(
            BOMB,
            f"Reading this file needed more than {megabytes:,} MB of memory, which no real disclosure needs; "
            "the file looks crafted or damaged. Export it again from the original document, or paste the text.",
        )
    raise ExtractionError(
        CORRUPT,
        "This file made the PDF reader fail, so it cannot be read; "
        "export it again from the original document, or paste the text.",
    )
