import { describe, expect, it, vi } from 'vitest'
import { API_PATHS, ENDPOINTS, apiBaseUrl, withRefresh } from '../../src/api/endpoints.js'
import { ApiError, fetchJson } from '../../src/api/fetchJson.js'
import { jsonResponse } from './helpers.jsx'

describe('endpoints', () => {
  it('defaults to the local API and honours an override', () => {
    expect(apiBaseUrl(undefined)).toBe('http://localhost:4000')
    expect(apiBaseUrl('http://127.0.0.1:4100/')).toBe('http://127.0.0.1:4100')
    expect(apiBaseUrl('')).toBe('')
    expect(ENDPOINTS.codex).toBe(`http://localhost:4000${API_PATHS.codex}`)
  })
  it('adds refresh=1', () => {
    expect(withRefresh('/api/x')).toBe('/api/x?refresh=1')
    expect(withRefresh('/api/x?a=1')).toBe('/api/x?a=1&refresh=1')
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
  it('explains a network failure', async () => {
    const fetcher = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'))
    const error = await fetchJson('/x', { fetcher }).catch((e) => e)
    expect(error.code).toBe('api_unreachable')
    expect(error.message).toMatch(/make dev/)
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
