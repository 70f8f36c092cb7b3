import { describe, expect, it, vi } from 'vitest'
import { ACCOUNTS_URL, accountKey, accountUrl, apiBaseUrl, historyUrl } from '../../src/api/endpoints.js'
import { ApiError, REFRESH_HEADER, fetchJson } from '../../src/api/fetchJson.js'
import { jsonResponse } from './helpers.jsx'

describe('endpoints', () => {
  it('defaults to the local API and honours an override', () => {
    expect(apiBaseUrl(undefined)).toBe('http://localhost:4000')
    expect(apiBaseUrl('http://127.0.0.1:4100/')).toBe('http://127.0.0.1:4100')
    expect(apiBaseUrl('')).toBe('')
    expect(ACCOUNTS_URL).toBe('http://localhost:4000/api/accounts')
  })
  it('builds account and history URLs with ?account= only when it is not the default', () => {
    expect(accountUrl({ route: '/api/openrouter/balance', account: 'default' })).toBe('http://localhost:4000/api/openrouter/balance')
    expect(accountUrl({ route: '/api/openrouter/balance', account: 'work' })).toBe('http://localhost:4000/api/openrouter/balance?account=work')
    expect(historyUrl('openrouter', 'work', '2026-11-01T00:00:00.000Z', 'balance')).toBe(
      'http://localhost:4000/api/history/openrouter?since=2026-11-01T00%3A00%3A00.000Z&quota=balance&points=300&account=work')
    expect(accountKey({ provider: 'openrouter', account: 'default' })).toBe('openrouter')
    expect(accountKey({ provider: 'openrouter', account: 'work' })).toBe('openrouter.work')
  })
})

describe('fetchJson', () => {
  it('returns the parsed body', async () => {
    const fetcher = vi.fn().mockResolvedValue(jsonResponse({ ok: 1 }))
    await expect(fetchJson('/x', { fetcher })).resolves.toEqual({ ok: 1 })
  })
  it('turns the API error body into an ApiError with its code and message', async () => {
    const body = { error: { code: 'rate_limited', message: 'Wait 30 s.', provider: 'openrouter', retry_after_seconds: 30 } }
    const fetcher = vi.fn().mockResolvedValue(jsonResponse(body, 429))
    const error = await fetchJson('/x', { fetcher }).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect([error.code, error.message, error.status, error.retryAfterSeconds]).toEqual(['rate_limited', 'Wait 30 s.', 429, 30])
  })
  it('says the API is unreachable on a network failure', async () => {
    const fetcher = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'))
    const error = await fetchJson('/x', { fetcher }).catch((e) => e)
    expect(error.code).toBe('api_unreachable')
  })
  it('carries the server title and whether retrying can help', async () => {
    const body = { error: { code: 'config_invalid', message: 'Fix X.', provider: 'p', title: 'Setting needs fixing', transient: false } }
    const error = await fetchJson('/x', { fetcher: vi.fn().mockResolvedValue(jsonResponse(body, 400)) }).catch((e) => e)
    expect([error.title, error.transient]).toEqual(['Setting needs fixing', false])
  })
  it('asks for a refresh with the query and a header a cross-site page cannot send', async () => {
    const fetcher = vi.fn().mockResolvedValue(jsonResponse({}))
    await fetchJson('/api/x?account=w', { fetcher, refresh: true })
    expect(fetcher.mock.calls[0][0]).toBe('/api/x?account=w&refresh=1')
    expect(fetcher.mock.calls[0][1].headers[REFRESH_HEADER]).toBe('1')
  })
  it('handles an error without a JSON body', async () => {
    const fetcher = vi.fn().mockResolvedValue(new Response('<html>', { status: 500 }))
    const error = await fetchJson('/x', { fetcher }).catch((e) => e)
    expect([error.code, error.status]).toEqual(['http_error', 500])
  })
  it('passes AbortError through untouched', async () => {
    const abort = new DOMException('aborted', 'AbortError')
    const fetcher = vi.fn().mockRejectedValue(abort)
    await expect(fetchJson('/x', { fetcher })).rejects.toBe(abort)
  })
})
