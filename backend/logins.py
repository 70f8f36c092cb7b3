"""A remembered "this account is configured" stays true while the login file its credentials read is unchanged."""

import os
import time

RACY_NS = 2_000_000_000  # a file changed this recently may change again within the clock's tick: never trusted


def declared_login(provider, config):
    """(path or None,) when the descriptor declares the one login file its credentials read (None: they read none);
    None when it does not say, so the account is checked every time."""
    if provider.login_file is None:
        return None
    return (provider.login_file(config),)


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
