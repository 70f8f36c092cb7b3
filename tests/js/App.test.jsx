import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import App from '../../src/App.jsx'
import ColorModeProvider from '../../src/components/ColorModeProvider.jsx'
import { PROVIDERS } from '../../src/providers.js'
import { fixture, jsonResponse, renderUi } from './helpers.jsx'

function fetcherFor(bodies) {
  return vi.fn(async (url) => {
    const name = PROVIDERS.find((p) => url.startsWith(p.url)).id
    const body = bodies[name]
    return body.error ? jsonResponse(body, 502) : jsonResponse(body)
  })
}

function renderApp(fetcher) {
  return renderUi(
    <ColorModeProvider>
      <App dashboardOptions={{ fetcher, intervalMs: 0 }} />
    </ColorModeProvider>,
  )
}

describe('App', () => {
  it('renders three cards; one failing leaves the others intact', async () => {
    const fetcher = fetcherFor({
      openrouter: { error: { code: 'upstream_error', message: 'OpenRouter answered with an error.', provider: 'openrouter' } },
      copilot: fixture('copilot'),
      codex: fixture('codex'),
    })
    renderApp(fetcher)
    const openrouter = await screen.findByTestId('card-openrouter')
    await waitFor(() => expect(openrouter).toHaveAttribute('data-state', 'error'))
    expect(within(openrouter).getByRole('alert')).toHaveTextContent('OpenRouter answered with an error.')
    await waitFor(() => expect(screen.getByTestId('card-copilot')).toHaveAttribute('data-state', 'content'))
    expect(screen.getByTestId('card-codex')).toHaveAttribute('data-state', 'content')
    expect(screen.queryByTestId('demo-banner')).toBeNull()
    expect(screen.getByTestId('last-updated')).toHaveTextContent(/^Updated /)
  })

  it('shows the demo banner when any card is demo data', async () => {
    renderApp(fetcherFor({
      openrouter: fixture('openrouter', { source: 'demo' }),
      copilot: fixture('copilot', { source: 'demo' }),
      codex: fixture('codex', { source: 'demo' }),
    }))
    expect(await screen.findByTestId('demo-banner')).toHaveTextContent('Demo data')
  })

  it('Refresh reloads every card, bypassing the cache', async () => {
    const fetcher = fetcherFor({ openrouter: fixture('openrouter'), copilot: fixture('copilot'), codex: fixture('codex') })
    renderApp(fetcher)
    await waitFor(() => expect(screen.getByTestId('card-codex')).toHaveAttribute('data-state', 'content'))
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }))
    await waitFor(() => expect(fetcher.mock.calls.filter(([url]) => url.endsWith('?refresh=1'))).toHaveLength(3))
  })

  it('toggles dark mode on the document', async () => {
    renderApp(fetcherFor({ openrouter: fixture('openrouter'), copilot: fixture('copilot'), codex: fixture('codex') }))
    fireEvent.click(screen.getByRole('button', { name: 'Switch to dark mode' }))
    expect(document.documentElement).toHaveClass('dark')
    expect(window.localStorage.getItem('ai-usage-color-mode')).toBe('dark')
    fireEvent.click(screen.getByRole('button', { name: 'Switch to light mode' }))
    expect(document.documentElement).toHaveClass('light')
  })
})

describe('numbers before charts', () => {
  it('no chart or history loads until every card has its first answer', async () => {
    let releaseCodex
    const fetcher = vi.fn((url) => {
      if (url.includes('codex')) return new Promise((resolve) => { releaseCodex = () => resolve(jsonResponse(fixture('codex'))) })
      return Promise.resolve(jsonResponse(url.includes('openrouter') ? fixture('openrouter') : fixture('copilot')))
    })
    globalThis.fetch = vi.fn(async () => jsonResponse({ provider: 'x', since: '', until: '', points: [] }))
    renderApp(fetcher)
    await waitFor(() => expect(screen.getByTestId('card-copilot')).toHaveAttribute('data-state', 'content'))
    expect(screen.getByTestId('card-codex')).toHaveAttribute('data-state', 'loading')
    expect(screen.queryByRole('img', { name: /^Spend:/ })).toBeNull()
    expect(globalThis.fetch).not.toHaveBeenCalled() // no history request yet
    await act(async () => releaseCodex())
    expect(await screen.findByRole('img', { name: /^Spend:/ })).toBeInTheDocument()
    await waitFor(() => expect(globalThis.fetch).toHaveBeenCalledTimes(3))
  })
})
