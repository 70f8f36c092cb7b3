import { QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useUsageDashboard } from '../../src/hooks/useUsageDashboard.jsx'
import { apiFetcher, fixture, newQueryClient } from './helpers.jsx'

function wrapper() {
  const client = newQueryClient()
  return ({ children }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>
}

describe('useUsageDashboard', () => {
  it('lists the accounts the API reports and loads each one', async () => {
    const fetcher = vi.fn(apiFetcher({ openrouter: fixture('openrouter'), github_copilot: fixture('github_copilot'), openai_codex: fixture('openai_codex') }))
    const { result } = renderHook(() => useUsageDashboard({ fetcher, intervalMs: 0 }), { wrapper: wrapper() })
    await waitFor(() => expect(result.current.cards.map((c) => c.key)).toEqual(['openrouter', 'github_copilot', 'openai_codex']))
    await waitFor(() => expect(result.current.cards.every((c) => c.resource.data)).toBe(true))
    expect(result.current.lastUpdated).toBeGreaterThan(0)
    expect(result.current.unreachable).toBe(false)
  })

  it('a second account of a provider is its own card with its own URL', async () => {
    const accounts = fixture('accounts')
    accounts.accounts.splice(1, 0, { ...accounts.accounts[0], account: 'work' })
    const fetcher = vi.fn(apiFetcher({ accounts, openrouter: fixture('openrouter') }))
    const { result } = renderHook(() => useUsageDashboard({ fetcher, intervalMs: 0 }), { wrapper: wrapper() })
    await waitFor(() => expect(result.current.cards.map((c) => c.key)).toContain('openrouter.work'))
    await waitFor(() => expect(fetcher.mock.calls.map((c) => c[0])).toContain('http://localhost:4000/api/openrouter/balance?account=work'))
  })

  it('says the API is unreachable once, when it cannot be reached at all', async () => {
    const fetcher = vi.fn().mockRejectedValue(new TypeError('Failed to fetch'))
    const { result } = renderHook(() => useUsageDashboard({ fetcher, intervalMs: 0 }), { wrapper: wrapper() })
    await waitFor(() => expect(result.current.unreachable).toBe(true))
    expect(result.current.cards).toEqual([])
  })

  it('refresh asks every account to skip the API cache', async () => {
    const fetcher = vi.fn(apiFetcher({ openrouter: fixture('openrouter'), github_copilot: fixture('github_copilot'), openai_codex: fixture('openai_codex') }))
    const { result } = renderHook(() => useUsageDashboard({ fetcher, intervalMs: 0 }), { wrapper: wrapper() })
    await waitFor(() => expect(result.current.cards.filter((c) => c.resource.data)).toHaveLength(3))
    await act(async () => { await result.current.refresh() })
    const refreshed = fetcher.mock.calls.filter(([url]) => url.endsWith('refresh=1'))
    expect(refreshed).toHaveLength(3)
    expect(refreshed.every(([, init]) => init.headers['X-Dashboard-Refresh'] === '1')).toBe(true)
  })
})
