"""Reading small local files (settings, logins) safely: regular files only, bounded size, never blocking."""

import os
import stat


class FileProblem(Exception):
    """The file cannot be used; the message says why, in words (never its contents)."""


def read_regular_file(path, max_bytes):
    """The bytes of a regular file of at most max_bytes. A FIFO, device or directory is refused, not read."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise
    except PermissionError:
        raise FileProblem("permission denied") from None
    except OSError as exc:
        raise FileProblem(exc.strerror or type(exc).__name__) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("it is not a regular file")
        if info.st_size > max_bytes:
            raise FileProblem(f"it is larger than {max_bytes // 1024} KB")
        data = os.read(fd, max_bytes + 1)
    except OSError as exc:
        raise FileProblem(exc.strerror or type(exc).__name__) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise FileProblem(f"it is larger than {max_bytes // 1024} KB")
    return data


def too_deep(raw, limit):
    """True when JSON brackets nest deeper than `limit` (json would recurse on it)."""
    depth = 0
    for byte in raw:
        if byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False
