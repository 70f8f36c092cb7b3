import { ChakraProvider } from '@chakra-ui/react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import accounts from '../fixtures/api/accounts.json'
import codex from '../fixtures/api/codex.json'
import copilot from '../fixtures/api/copilot.json'
import openrouter from '../fixtures/api/openrouter.json'
import { system } from '../../src/theme.js'

export const fixtures = { accounts, openrouter, github_copilot: copilot, openai_codex: codex }

/** A fresh, editable copy of an API response fixture (named by provider id, or `accounts`). */
export function fixture(name, changes = {}) {
  return { ...structuredClone(fixtures[name]), ...changes }
}

export function newQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } })
}

export function renderUi(ui, client = newQueryClient()) {
  return render(
    <QueryClientProvider client={client}>
      <ChakraProvider value={system}>{ui}</ChakraProvider>
    </QueryClientProvider>,
  )
}

export function jsonResponse(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/** A resource as useApiResource returns it, for rendering cards directly. */
export function resource(overrides = {}) {
  return { data: null, error: null, loading: false, loadedAt: null, reload: () => {}, ...overrides }
}

/** A fetcher that answers /api/accounts and each provider route from `bodies` (keyed by provider id or URL part). */
export function apiFetcher(bodies) {
  return async (url) => {
    const path = new URL(url, 'http://localhost:4000').pathname
    if (path === '/api/accounts') return jsonResponse(bodies.accounts ?? fixtures.accounts)
    if (path.startsWith('/api/history/')) return jsonResponse(bodies.history ?? { rows: [], series: [] })
    const listed = (bodies.accounts ?? fixtures.accounts).accounts.find((a) => a.route === path)
    const body = listed ? bodies[listed.provider] : undefined
    if (body === undefined) return jsonResponse({ error: { code: 'not_found', message: `No ${path}`, provider: null } }, 404)
    return body.error ? jsonResponse(body, body.status ?? 502) : jsonResponse(body)
  }
}
