"""The API's port: one rule for the API's settings (config) and for the CLI that looks for the API (cli), which
must not import config (the statusline stays light)."""

DEFAULT_PORT = 4000


def port_number(raw):
    """The port API_PORT's text names (1-65535), or None when it names none."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 65536 else None
