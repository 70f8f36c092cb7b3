import { QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useApiResource, useApiResources } from '../../src/hooks/useApiResource.js'
import { jsonResponse, newQueryClient } from './helpers.jsx'

function wrapper() {
  const client = newQueryClient()
  return ({ children }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>
}

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
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }), { wrapper: wrapper() })
    expect(result.current.loading).toBe(true)
    await waitFor(() => expect(result.current.data).toEqual({ value: 1 }))
    expect([result.current.loading, result.current.error]).toEqual([false, null])
    expect(result.current.loadedAt).toBeGreaterThan(0)
  })

  it('exposes the JSON error body as code and message', async () => {
    const body = { error: { code: 'not_configured', message: 'Set GITHUB_PAT.', provider: 'github_copilot' } }
    const fetcher = vi.fn().mockResolvedValue(jsonResponse(body, 400))
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }), { wrapper: wrapper() })
    await waitFor(() => expect(result.current.error).not.toBeNull())
    expect([result.current.error.code, result.current.error.message, result.current.data]).toEqual(['not_configured', 'Set GITHUB_PAT.', null])
  })

  it('aborts the request on unmount', async () => {
    const { fetcher, pending } = controlledFetcher()
    const { unmount } = renderHook(() => useApiResource('/api/a', { fetcher }), { wrapper: wrapper() })
    await waitFor(() => expect(pending).toHaveLength(1))
    unmount()
    await waitFor(() => expect(pending[0].signal.aborted).toBe(true))
  })

  it('keeps the last data while a reload is under way, then shows the new data', async () => {
    const { fetcher, pending } = controlledFetcher()
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }), { wrapper: wrapper() })
    await waitFor(() => expect(pending).toHaveLength(1))
    await act(async () => pending[0].resolve(jsonResponse({ n: 1 })))
    await waitFor(() => expect(result.current.data).toEqual({ n: 1 }))
    act(() => { result.current.reload({ refresh: true }) })
    await waitFor(() => expect(pending).toHaveLength(2))
    expect(pending[1].url).toBe('/api/a?refresh=1')
    expect(result.current.data).toEqual({ n: 1 })
    await act(async () => pending[1].resolve(jsonResponse({ n: 2 })))
    await waitFor(() => expect(result.current.data).toEqual({ n: 2 }))
  })

  it('a failed reload keeps the data and shows the error beside it', async () => {
    const fetcher = vi.fn()
      .mockResolvedValueOnce(jsonResponse({ n: 1 }))
      .mockResolvedValueOnce(jsonResponse({ error: { code: 'upstream_error', message: 'down' } }, 502))
    const { result } = renderHook(() => useApiResource('/api/a', { fetcher }), { wrapper: wrapper() })
    await waitFor(() => expect(result.current.data).toEqual({ n: 1 }))
    await act(async () => { await result.current.reload() })
    await waitFor(() => expect(result.current.error?.code).toBe('upstream_error'))
    expect(result.current.data).toEqual({ n: 1 })
  })
})

/** Two URLs' resources whose answers the test releases; resolves once both requests are out. */
async function twoResources() {
  const { fetcher, pending } = controlledFetcher()
  const urls = ['/api/a', '/api/b']
  const { result } = renderHook(() => useApiResources(urls, { fetcher }), { wrapper: wrapper() })
  await waitFor(() => expect(pending).toHaveLength(2))
  return { result, pending }
}

describe('useApiResources', () => {
  it('gives one resource per URL, in order, each loading on its own', async () => {
    const { result, pending } = await twoResources()
    await act(async () => pending.find((p) => p.url === '/api/b').resolve(jsonResponse({ b: 1 })))
    await waitFor(() => expect(result.current[1].data).toEqual({ b: 1 }))
    expect(result.current[0]).toMatchObject({ data: null, loading: true })
  })

  it('keeps the same resource objects while nothing changes', async () => {
    const fetcher = vi.fn().mockResolvedValue(jsonResponse({ v: 1 }))
    const urls = ['/api/a']
    const { result, rerender } = renderHook(() => useApiResources(urls, { fetcher }), { wrapper: wrapper() })
    await waitFor(() => expect(result.current[0].data).toEqual({ v: 1 }))
    const first = result.current[0]
    rerender()
    expect(result.current[0]).toBe(first)
  })

  it('keeps the very same resource for an account whose answer did not change when another one lands', async () => {
    const { result, pending } = await twoResources()
    await act(async () => pending[0].resolve(jsonResponse({ value: 'a' })))
    await waitFor(() => expect(result.current[0].data).toEqual({ value: 'a' }))
    const first = result.current[0]
    await act(async () => pending[1].resolve(jsonResponse({ value: 'b' })))
    await waitFor(() => expect(result.current[1].data).toEqual({ value: 'b' }))
    // The card given `first` (memo) skips its render: same object, reload included.
    expect(result.current[0]).toBe(first)
    await act(async () => { result.current[1].reload() })
    await waitFor(() => expect(pending).toHaveLength(3))
    expect(result.current[0]).toBe(first)
  })
})
