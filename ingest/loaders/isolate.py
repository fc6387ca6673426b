"""Run a document parser in a child process that cannot take the caller down.

The child is forked from a forkserver (single-threaded, parsers preloaded, so a fork costs a few
ms) with its address space and CPU time capped by setrlimit; the parent waits at most the wall
time limit and kills the child after it. Whatever goes wrong in the child — a MemoryError, a
RecursionError, a segfault in a C parser, a hang — comes back as a LoadError naming the reason.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from ingest.limits import MB, IngestLimits
from ingest.model import LoadError

T = TypeVar("T")

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["ingest.loaders"])


class _Popen(popen_forkserver.Popen):
    """The forkserver's launcher (CPython 3.11), minus one step: re-running the caller's __main__
    module in every worker. The parser needs nothing from it, and an entry point's imports (Chroma,
    the web app) would cost seconds per file and demand a __main__ guard of every script."""

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_name", None)
        prep_data.pop("init_main_from_path", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:  # noqa: N802 - multiprocessing's name
        return _Popen(process_obj)


def _vm_size() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: Connection, func: Callable[..., Any], args: tuple, memory: int, cpu: int) -> None:
    # The cap is on top of what the (preloaded) child already maps, so it means the same everywhere.
    limit = _vm_size() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    try:
        outcome: tuple[str, Any] = ("ok", func(*args))
    except LoadError as exc:
        outcome = ("error", str(exc))
    except MemoryError:
        outcome = ("memory", "")
    except RecursionError:
        outcome = ("error", "the document is nested too deeply to read")
    except Exception as exc:  # any parser bug is this file's failure, never the caller's
        outcome = ("error", f"could not read the document ({type(exc).__name__}: {str(exc)[:200]})")
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("memory", ""))
    conn.close()


def run_isolated(func: Callable[..., T], args: tuple, limits: IngestLimits) -> T:
    """func(*args) in a limited child process; its exceptions and failures become LoadError."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    memory = limits.parse_memory_mb * MB
    cpu = max(1, int(limits.parse_seconds) + 1)
    process = _Process(target=_child, args=(sender, func, args, memory, cpu), daemon=True)
    process.start()
    sender.close()
    too_slow = LoadError(
        f"reading the document took longer than {limits.parse_seconds:g} s; stopped (KOMMUNSTOD_MAX_PARSE_SECONDS)"
    )
    try:
        if not receiver.poll(limits.parse_seconds):
            raise too_slow
        try:
            status, value = receiver.recv()
        except (EOFError, OSError) as exc:
            process.join(5)
            if process.exitcode == -signal.SIGXCPU:  # the CPU-time rlimit
                raise too_slow from exc
            raise LoadError(
                f"the document reader stopped unexpectedly (exit code {process.exitcode}); the file is "
                "probably damaged or too large to read"
            ) from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
        process.close()
    if status == "memory":
        raise LoadError(
            f"reading the document needs more than {limits.parse_memory_mb} MB of memory; refused "
            "(KOMMUNSTOD_MAX_PARSE_MEMORY_MB)"
        )
    if status == "error":
        raise LoadError(value)
    return value
