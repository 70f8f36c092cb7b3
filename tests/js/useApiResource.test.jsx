import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useApiResource } from '../../src/hooks/useApiResource.js'
import { jsonResponse } from './helpers.jsx'

/** A fetcher whose answers the test releases one by one. */
function controlledFetcher() {
  const pending = []
  const fetcher = vi.fn((url, { signal }) => new Promise((resolve, reject) => {
    pending.push({ url, resolve, signal })
    signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
  }))
  return { fetcher, pending }
}

describe('useApiResource', () => {
  it('loads data', async () => {
    const fetcher = vi.fn().mockResolvedValue(jsonResponse({ value: 1 }))
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }))
    expect(result.current.loading).toBe(true)
    await waitFor(() => expect(result.current.data).toEqual({ value: 1 }))
    expect(result.current.loading).toBe(false)
    expect(result.current.error).toBeNull()
    expect(result.current.loadedAt).toBeGreaterThan(0)
  })

  it('exposes the JSON error body as code and message', async () => {
    const body = { error: { code: 'not_configured', message: 'Set GITHUB_PAT.', provider: 'github_copilot' } }
    const fetcher = vi.fn().mockResolvedValue(jsonResponse(body, 400))
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }))
    await waitFor(() => expect(result.current.error).not.toBeNull())
    expect(result.current.error.code).toBe('not_configured')
    expect(result.current.error.message).toBe('Set GITHUB_PAT.')
    expect(result.current.data).toBeNull()
  })

  it('reports a network failure', async () => {
    const fetcher = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'))
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }))
    await waitFor(() => expect(result.current.error?.code).toBe('api_unreachable'))
  })

  it('aborts the request on unmount', async () => {
    const { fetcher, pending } = controlledFetcher()
    const { unmount } = renderHook(() => useApiResource('/api/a', { fetcher }))
    await waitFor(() => expect(pending).toHaveLength(1))
    unmount()
    expect(pending[0].signal.aborted).toBe(true)
  })

  it('keeps the old data while reloading, and asks the API to refresh', async () => {
    const { fetcher, pending } = controlledFetcher()
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }))
    await waitFor(() => expect(pending).toHaveLength(1))
    await act(async () => pending[0].resolve(jsonResponse({ value: 1 })))
    await waitFor(() => expect(result.current.data).toEqual({ value: 1 }))
    act(() => {
      result.current.reload({ refresh: true })
    })
    expect(result.current.loading).toBe(true)
    expect(result.current.data).toEqual({ value: 1 })
    expect(pending[1].url).toBe('/api/a?refresh=1')
    await act(async () => pending[1].resolve(jsonResponse({ value: 2 })))
    await waitFor(() => expect(result.current.data).toEqual({ value: 2 }))
  })

  it('ignores the answer to a superseded request', async () => {
    const { fetcher, pending } = controlledFetcher()
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }))
    await waitFor(() => expect(pending).toHaveLength(1))
    act(() => {
      result.current.reload()
    })
    expect(pending[0].signal.aborted).toBe(true)
    await act(async () => pending[1].resolve(jsonResponse({ value: 'new' })))
    await act(async () => pending[0].resolve(jsonResponse({ value: 'old' })))
    await waitFor(() => expect(result.current.data).toEqual({ value: 'new' }))
    expect(result.current.loading).toBe(false)
  })

  it('keeps the old data when a reload fails, and shows the error', async () => {
    const fetcher = vi.fn()
      .mockResolvedValueOnce(jsonResponse({ value: 1 }))
      .mockResolvedValueOnce(jsonResponse({ error: { code: 'upstream_timeout', message: 'Too slow.' } }, 504))
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }))
    await waitFor(() => expect(result.current.data).toEqual({ value: 1 }))
    await act(async () => result.current.reload())
    expect(result.current.error.code).toBe('upstream_timeout')
    expect(result.current.data).toEqual({ value: 1 })
  })
})

describe('useApiResource identity', () => {
  it('returns the same object while nothing changes, so memoized cards skip renders', async () => {
    const fetcher = vi.fn().mockResolvedValue(jsonResponse({ value: 1 }))
    const { result, rerender } = renderHook(() => useApiResource('/api/a', { fetcher }))
    await waitFor(() => expect(result.current.data).toEqual({ value: 1 }))
    const before = result.current
    rerender()
    expect(result.current).toBe(before)
  })
})
