"""A remembered "this account is configured" stays true while the login file its credentials read is unchanged."""

import os
import time

RACY_NS = 2_000_000_000  # a file changed this recently may change again within the clock's tick: never trusted
UNDECLARED = object()


def declared_login(provider, config):
    """(path or None,) when the descriptor declares the one login file its credentials read (`login_file`: a function
    of the account's config, or None for none); None when it does not say, so the account is checked every time."""
    login_file = getattr(provider, "login_file", UNDECLARED)
    if login_file is UNDECLARED:
        return None
    return (login_file(config) if login_file is not None else None,)


def stamp(path):
    """What identifies the file's present content, or None when it cannot be trusted to (missing, or just changed)."""
    if path is None:
        return ()
    try:
        info = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - info.st_mtime_ns < RACY_NS:  # any write sets the mtime to now: a racy file is read again
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns
