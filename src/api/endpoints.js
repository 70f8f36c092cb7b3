// Every URL the page uses, in one place. VITE_API_BASE_URL overrides the API's origin;
// an empty value means the page's own origin (the production build served by run_api.py).

const configured = import.meta.env?.VITE_API_BASE_URL

export const DEFAULT_API_BASE_URL = 'http://localhost:4000'

export function apiBaseUrl(value = configured) {
  return (value ?? DEFAULT_API_BASE_URL).trim().replace(/\/+$/, '')
}

export const API_BASE = apiBaseUrl()

/** Where the page learns which provider accounts exist: the registry, as the API serves it. */
export const ACCOUNTS_PATH = '/api/accounts'
export const ACCOUNTS_URL = `${API_BASE}${ACCOUNTS_PATH}`

/** One account's route: the provider's stable path, with ?account= for all but `default`. */
export function accountUrl({ route, account }) {
  return account === 'default' ? `${API_BASE}${route}` : `${API_BASE}${route}?account=${encodeURIComponent(account)}`
}

/** Recorded readings of one quota of one account since a moment (ISO-8601), as at most `points` compact rows. */
export function historyUrl(provider, account, since, quota, points = 300) {
  const query = new URLSearchParams({ since, quota, points: String(points) })
  if (account !== 'default') query.set('account', account)
  return `${API_BASE}/api/history/${encodeURIComponent(provider)}?${query}`
}

/** A stable key for one account, used for React keys and DOM test ids: `openrouter`, `openrouter.work`. */
export function accountKey({ provider, account }) {
  return account === 'default' ? provider : `${provider}.${account}`
}

/** Recent alert events, newest first. */
export const ALERTS_URL = `${API_BASE}/api/alerts?limit=50`
