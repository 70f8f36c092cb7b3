import { act, renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useUsageDashboard } from '../../src/hooks/useUsageDashboard.jsx'
import { jsonResponse } from './helpers.jsx'

const providers = [
  { id: 'a', url: '/api/a' },
  { id: 'b', url: '/api/b' },
  { id: 'c', url: '/api/c' },
]

function setVisibility(state) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  document.dispatchEvent(new Event('visibilitychange'))
}

describe('useUsageDashboard', () => {
  beforeEach(() => setVisibility('visible'))
  afterEach(() => vi.useRealTimers())

  it('starts every provider at once and keeps failures separate', async () => {
    const resolvers = {}
    const fetcher = vi.fn((url) => new Promise((resolve) => {
      resolvers[url] = resolve
    }))
    const { result } = renderHook(() => useUsageDashboard({ providers, fetcher, intervalMs: 0 }))
    expect(fetcher.mock.calls.map(([url]) => url)).toEqual(['/api/a', '/api/b', '/api/c'])
    await act(async () => {
      resolvers['/api/b'](jsonResponse({ source: 'demo' }))
      resolvers['/api/a'](jsonResponse({ error: { code: 'upstream_error', message: 'down' } }, 502))
      resolvers['/api/c'](jsonResponse({ source: 'live' }))
    })
    await waitFor(() => expect(result.current.loading).toBe(false))
    const [a, b, c] = result.current.cards.map((card) => card.resource)
    expect(a.error.code).toBe('upstream_error')
    expect(b.data).toEqual({ source: 'demo' })
    expect(c.data).toEqual({ source: 'live' })
    expect(result.current.isDemo).toBe(true)
    expect(result.current.failed).toBe(1)
    expect(result.current.lastUpdated).toBeGreaterThan(0)
  })

  it('manual refresh asks every provider to bypass the cache', async () => {
    const fetcher = vi.fn(async () => jsonResponse({ source: 'live' }))
    const { result } = renderHook(() => useUsageDashboard({ providers, fetcher, intervalMs: 0 }))
    await waitFor(() => expect(result.current.loading).toBe(false))
    await act(async () => result.current.refresh())
    expect(fetcher.mock.calls.slice(3).map(([url]) => url)).toEqual(['/api/a?refresh=1', '/api/b?refresh=1', '/api/c?refresh=1'])
  })

  it('refreshes on a timer, pauses while hidden, and refreshes at once when visible again', async () => {
    vi.useFakeTimers()
    const fetcher = vi.fn(async () => jsonResponse({ source: 'live' }))
    renderHook(() => useUsageDashboard({ providers, fetcher, intervalMs: 1000 }))
    expect(fetcher).toHaveBeenCalledTimes(3)
    await act(async () => vi.advanceTimersByTime(1000))
    expect(fetcher).toHaveBeenCalledTimes(6)
    expect(fetcher.mock.calls[3][0]).toBe('/api/a')
    act(() => setVisibility('hidden'))
    await act(async () => vi.advanceTimersByTime(5000))
    expect(fetcher).toHaveBeenCalledTimes(6)
    act(() => setVisibility('visible'))
    expect(fetcher).toHaveBeenCalledTimes(9)
    await act(async () => vi.advanceTimersByTime(1000))
    expect(fetcher).toHaveBeenCalledTimes(12)
  })
})
