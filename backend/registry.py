"""The one list of providers. Routes, health, accounts, the sampler, demo, OpenAPI and the page read it."""

from .helpers import codex_helper, copilot_helper, openrouter_helper

PROVIDERS = [openrouter_helper.DESCRIPTOR, copilot_helper.DESCRIPTOR, codex_helper.DESCRIPTOR]


def by_id(provider_id, providers=None):
    """The descriptor with this id, or None."""
    return next((p for p in (providers or PROVIDERS) if p.id == provider_id), None)
