import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import App from '../../src/App.jsx'
import ColorModeProvider from '../../src/components/ColorModeProvider.jsx'
import { apiFetcher, fixture, renderUi } from './helpers.jsx'

function renderApp(fetcher) {
  return renderUi(
    <ColorModeProvider>
      <App dashboardOptions={{ fetcher, intervalMs: 0 }} />
    </ColorModeProvider>,
  )
}

const ALL = () => ({ openrouter: fixture('openrouter'), github_copilot: fixture('github_copilot'), openai_codex: fixture('openai_codex') })

describe('App', () => {
  it('renders one card per account; one failing leaves the others intact', async () => {
    const bodies = ALL()
    bodies.openrouter = { error: { code: 'upstream_error', message: 'OpenRouter answered with an error.', provider: 'openrouter', title: 'Provider error', transient: true } }
    renderApp(vi.fn(apiFetcher(bodies)))
    const openrouter = await screen.findByTestId('card-openrouter')
    await waitFor(() => expect(openrouter).toHaveAttribute('data-state', 'error'))
    expect(within(openrouter).getByRole('alert')).toHaveTextContent('Provider error')
    expect(within(openrouter).getByRole('alert')).toHaveTextContent('OpenRouter answered with an error.')
    await waitFor(() => expect(screen.getByTestId('card-github_copilot')).toHaveAttribute('data-state', 'content'))
    expect(screen.getByTestId('card-openai_codex')).toHaveAttribute('data-state', 'content')
    expect(screen.queryByTestId('demo-banner')).toBeNull()
    // The header follows the cards in a render of its own (deferred): the numbers come first.
    await waitFor(() => expect(screen.getByTestId('last-updated')).toHaveTextContent(/^Updated /))
  })

  it('says once, at the top, when the API cannot be reached, and never "Updated"', async () => {
    renderApp(vi.fn().mockRejectedValue(new TypeError('Failed to fetch')))
    const banner = await screen.findByTestId('api-banner')
    expect(banner).toHaveTextContent('http://localhost:4000')
    expect(screen.queryAllByTestId(/^card-/)).toHaveLength(0)
    expect(screen.getByTestId('last-updated')).toHaveTextContent('Not connected')
  })

  it('shows the demo banner when the API serves demo data', async () => {
    renderApp(vi.fn(apiFetcher({ ...ALL(), accounts: { ...fixture('accounts'), demo: true } })))
    expect(await screen.findByTestId('demo-banner')).toBeInTheDocument()
  })

  it('a setting that needs fixing says to fix it and restart, not to retry', async () => {
    const bodies = ALL()
    bodies.github_copilot = { status: 400, error: { code: 'config_invalid', message: 'COPILOT_PLAN must be one of free, pro.', provider: 'github_copilot', title: 'Setting needs fixing', transient: false } }
    renderApp(vi.fn(apiFetcher(bodies)))
    const card = await screen.findByTestId('card-github_copilot')
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'error'))
    expect(within(card).getByRole('alert')).toHaveTextContent('Setting needs fixing')
    expect(within(card).getByRole('alert')).toHaveTextContent('counts once the API restarts')
    expect(within(card).getByRole('button', { name: 'Check again' })).toBeInTheDocument()
  })

  it('an account the API lists as not set up shows what to set at once, without asking its route; Check again re-reads the list', async () => {
    const accounts = fixture('accounts')
    const codex = accounts.accounts.find((a) => a.provider === 'openai_codex')
    Object.assign(codex, { configured: false, problem: { code: 'not_configured', message: 'Log in with `codex login`, or set CHATGPT_ACCESS_TOKEN.', provider: 'openai_codex', title: 'Not set up yet', transient: false } })
    const fetcher = vi.fn(apiFetcher({ ...ALL(), accounts }))
    renderApp(fetcher)
    const card = await screen.findByTestId('card-openai_codex')
    expect(card).toHaveAttribute('data-state', 'error')
    expect(within(card).getByRole('alert')).toHaveTextContent('Not set up yet')
    expect(within(card).getByRole('alert')).toHaveTextContent('codex login')
    await waitFor(() => expect(screen.getByTestId('card-openrouter')).toHaveAttribute('data-state', 'content'))
    const asked = () => fetcher.mock.calls.map(([url]) => new URL(url, 'http://localhost:4000').pathname)
    expect(asked()).not.toContain('/api/openai/codex/limits')
    const before = asked().filter((path) => path === '/api/accounts').length
    fireEvent.click(within(card).getByRole('button', { name: 'Check again' }))
    await waitFor(() => expect(asked().filter((path) => path === '/api/accounts').length).toBe(before + 1))
  })

  it('a provider the page has never heard of gets a full card from the API alone', async () => {
    const accounts = fixture('accounts')
    accounts.accounts.push({ provider: 'fake_meter', account: 'default', title: 'Fake meter', subtitle: 'Test only', route: '/api/fake/meter', configured: true, problem: null })
    const meter = {
      provider: 'fake_meter', fetched_at: new Date().toISOString(), source: 'live', stale: false, status: 'warning',
      headline_quota: 'daily', partial: false, notes: [],
      quotas: [{ id: 'daily', label: 'Daily meter', unit: 'percent', kind: 'window', used: 85, limit: 100, remaining: 15, used_percent: 85,
        window_seconds: 86400, resets_at: new Date(Date.now() + 3600e3).toISOString(), resets_in_seconds: 3600, status: 'warning', pace: null }],
    }
    renderApp(vi.fn(apiFetcher({ ...ALL(), accounts, fake_meter: meter })))
    const card = await screen.findByTestId('card-fake_meter')
    await waitFor(() => expect(card).toHaveAttribute('data-state', 'content'))
    expect(within(card).getByRole('heading', { name: 'Fake meter' })).toBeInTheDocument()
    expect(within(card).getByTestId('quota-daily')).toHaveAttribute('data-status', 'warning')
    expect(within(card).getByRole('progressbar')).toHaveAccessibleName(/Fake meter Daily meter: 85.% used, Watch it/)
  })

  it('the summary strip has a chip per quota that agrees with its card', async () => {
    renderApp(vi.fn(apiFetcher(ALL())))
    const strip = await screen.findByTestId('summary-strip')
    await waitFor(() => expect(within(strip).getAllByRole('link')).toHaveLength(
      fixture('openrouter').quotas.length + fixture('github_copilot').quotas.length + fixture('openai_codex').quotas.length))
    for (const link of within(strip).getAllByRole('link')) {
      const card = document.querySelector(link.getAttribute('href'))
      expect(card).not.toBeNull()
    }
    const codexWeekly = fixture('openai_codex').quotas.find((q) => q.id === 'secondary')
    const row = within(screen.getByTestId('card-openai_codex')).getByTestId('quota-secondary')
    expect(row).toHaveAttribute('data-status', codexWeekly.status)
  })

  it('a failing account\'s chip says what its card says: a setting to fix, or a read that failed', async () => {
    const notSetUp = { error: { code: 'not_configured', message: 'Set GITHUB_PAT in .env.', provider: 'github_copilot', title: 'Not set up yet', transient: false } }
    const failing = { error: { code: 'upstream_error', message: 'down', provider: 'openai_codex', title: 'Provider error', transient: true } }
    renderApp(vi.fn(apiFetcher({ ...ALL(), github_copilot: notSetUp, openai_codex: failing })))
    const strip = await screen.findByTestId('summary-strip')
    const chip = async (key) => within(strip).findByRole('link', { name: new RegExp(`${key}`) })
    const copilot = await chip('GitHub Copilot · Not set up yet')
    expect(copilot).toHaveTextContent('Fix needed')
    expect(within(screen.getByTestId('card-github_copilot')).getByRole('alert')).toHaveAttribute('data-code', 'not_configured')
    const codex = await chip('ChatGPT Codex · Provider error')
    expect(codex).toHaveTextContent('Failing')
    expect(codex).not.toHaveTextContent('Unknown')
  })
})

it('never says "Updated" or "Loading" once every card has failed', async () => {
  const failing = { error: { code: 'upstream_error', message: 'down', provider: 'x', title: 'Provider error', transient: true } }
  renderApp(vi.fn(apiFetcher({ openrouter: failing, github_copilot: failing, openai_codex: failing })))
  await waitFor(() => expect(screen.getByTestId('last-updated')).toHaveTextContent('No numbers yet: see each card'))
})
