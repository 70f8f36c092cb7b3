"""Secrets never leave: every configured secret is cut out of answers and messages, whatever field it is in."""

REDACTED = "[redacted]"


def scrub_text(text, secrets):
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def scrub(value, secrets):
    """A copy of a JSON-like value with every secret replaced (strings inside dicts and lists too)."""
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub_text(value, secrets)
    if isinstance(value, dict):
        return {k: scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    return value


class SecretFilter:
    """A logging filter that cuts the secrets known at each record (a login read later adds one) out of it."""

    def __init__(self, known_secrets):
        self.known_secrets = known_secrets

    def filter(self, record):
        secrets = self.known_secrets()
        if not secrets:
            return True
        import logging

        message = record.getMessage()
        record.msg, record.args = scrub_text(message, secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_text(record.exc_text, secrets)
        return True
