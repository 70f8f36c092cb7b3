// Every URL the page uses, in one place. VITE_API_BASE_URL overrides the API's origin;
// an empty value means the page's own origin (the production build served by run_api.py).

const configured = import.meta.env?.VITE_API_BASE_URL

export const DEFAULT_API_BASE_URL = 'http://localhost:4000'

export function apiBaseUrl(value = configured) {
  return (value ?? DEFAULT_API_BASE_URL).trim().replace(/\/+$/, '')
}

export const API_PATHS = {
  openrouter: '/api/openrouter/balance',
  copilot: '/api/github/copilot/premium-usage',
  codex: '/api/openai/codex/limits',
  health: '/api/health',
}

const base = apiBaseUrl()

export const ENDPOINTS = Object.fromEntries(
  Object.entries(API_PATHS).map(([name, path]) => [name, `${base}${path}`]),
)

/** Recorded readings of one provider since a moment (ISO-8601). */
export function historyUrl(provider, since) {
  return `${base}/api/history/${provider}?since=${encodeURIComponent(since)}`
}

/** The same URL asking the API to skip its cache. */
export function withRefresh(url) {
  return `${url}${url.includes('?') ? '&' : '?'}refresh=1`
}
