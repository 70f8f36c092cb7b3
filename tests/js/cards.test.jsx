import { fireEvent, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import CodexCard, { blockingWindow } from '../../src/components/CodexCard.jsx'
import CopilotCard, { topModels } from '../../src/components/CopilotCard.jsx'
import OpenRouterCard, { openRouterHeadline } from '../../src/components/OpenRouterCard.jsx'
import { fixture, jsonResponse, renderUi, resource } from './helpers.jsx'

const CARDS = [
  ['openrouter', OpenRouterCard, 'OpenRouter'],
  ['copilot', CopilotCard, 'GitHub Copilot'],
  ['codex', CodexCard, 'ChatGPT Codex'],
]

function renderCard(Card, id, title, res) {
  return renderUi(<Card id={id} title={title} subtitle="sub" resource={resource(res)} />)
}

describe.each(CARDS)('%s card frame', (id, Card, title) => {
  it('shows a skeleton while loading', () => {
    renderCard(Card, id, title, { loading: true })
    const card = screen.getByTestId(`card-${id}`)
    expect(card).toHaveAttribute('data-state', 'loading')
    expect(within(card).getByTestId('card-skeleton')).toBeInTheDocument()
    expect(within(card).queryByRole('alert')).toBeNull()
    expect(within(card).getByRole('heading', { name: title })).toBeInTheDocument()
  })

  it('shows the API message in an alert with a Retry that reloads this card', () => {
    const reload = vi.fn()
    const error = { code: 'unauthorized', message: 'Check OPENROUTER_API_KEY in .env.' }
    renderCard(Card, id, title, { error, reload })
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('Credentials refused')
    expect(alert).toHaveTextContent('Check OPENROUTER_API_KEY in .env.')
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }))
    expect(reload).toHaveBeenCalledWith({ refresh: true })
  })

  it('shows content with the fetch time', () => {
    renderCard(Card, id, title, { data: fixture(id) })
    const card = screen.getByTestId(`card-${id}`)
    expect(card).toHaveAttribute('data-state', 'content')
    expect(within(card).getByText(/^Fetched /)).toBeInTheDocument()
    expect(within(card).queryByText('stale')).toBeNull()
  })

  it('marks stale data with a badge and the reason', () => {
    const data = fixture(id, { stale: true, error: { code: 'upstream_timeout', message: 'The provider did not answer in time.' } })
    renderCard(Card, id, title, { data })
    expect(screen.getByText('stale')).toBeInTheDocument()
    expect(screen.getByText('Showing the last good reading')).toBeInTheDocument()
    expect(screen.getByText('The provider did not answer in time.')).toBeInTheDocument()
  })

  it('marks demo data', () => {
    renderCard(Card, id, title, { data: fixture(id, { source: 'demo' }) })
    expect(screen.getByText('demo')).toBeInTheDocument()
  })
})

describe('OpenRouter card', () => {
  it('leads with the account balance and shows the key limit and spend', async () => {
    renderCard(OpenRouterCard, 'openrouter', 'OpenRouter', { data: fixture('openrouter') })
    expect(screen.getByTestId('openrouter-headline')).toHaveTextContent('$31.27')
    expect(screen.getByText('of $150.00 bought · $118.73 used')).toBeInTheDocument()
    expect(screen.getByRole('progressbar', { name: /OpenRouter credits: 79\s%/ })).toBeInTheDocument()
    expect(screen.getByRole('progressbar', { name: /Key limit: \$31.27 left of \$50.00/ })).toBeInTheDocument()
    expect(await screen.findByRole('img', { name: 'Spend: Today $0.84, This week $6.11, This month $18.73' })).toBeInTheDocument()
    expect(screen.getByText('Key sk-or-v1-3f2...9ab')).toBeInTheDocument()
  })

  it('falls back to the key limit, then to "No limit"', () => {
    const keyOnly = fixture('openrouter', { account: null })
    expect(openRouterHeadline(keyOnly)).toMatchObject({ amount: 31.2745, caption: 'left on this key' })
    const unlimited = fixture('openrouter', { account: null, limit_usd: null, remaining_usd: null })
    renderCard(OpenRouterCard, 'openrouter', 'OpenRouter', { data: unlimited })
    expect(screen.getByTestId('openrouter-headline')).toHaveTextContent('No limit')
    expect(screen.queryByRole('progressbar')).toBeNull()
  })

  it('flags the free tier', () => {
    renderCard(OpenRouterCard, 'openrouter', 'OpenRouter', { data: fixture('openrouter', { is_free_tier: true }) })
    expect(screen.getByText('free tier')).toBeInTheDocument()
  })
})

describe('Copilot card', () => {
  it('shows used / allowance, what is left, the reset and the models', async () => {
    renderCard(CopilotCard, 'copilot', 'GitHub Copilot', { data: fixture('copilot') })
    expect(screen.getByTestId('copilot-headline')).toHaveTextContent('149 / 300')
    const bar = screen.getByRole('progressbar', { name: /149 of 300 used \(50\s%\), On track/ })
    expect(bar.closest('[data-level]')).toHaveAttribute('data-level', 'ok')
    expect(screen.getByText(/151 left · resets Dec 1/)).toBeInTheDocument()
    expect(await screen.findByRole('img', { name: 'Requests by model: Claude Sonnet 4.5 96, GPT-5 41, Gemini 2.5 Pro 12' })).toBeInTheDocument()
  })

  it.each([
    [230, 'warn', 'Getting close'],
    [271, 'danger', 'Almost out'],
  ])('at %s of 300 the bar is %s and says "%s"', (used, level, words) => {
    const data = fixture('copilot', { used, percent_used: (used / 300) * 100, remaining: 300 - used })
    renderCard(CopilotCard, 'copilot', 'GitHub Copilot', { data })
    const bar = screen.getByRole('progressbar', { name: new RegExp(words) })
    expect(bar.closest('[data-level]')).toHaveAttribute('data-level', level)
  })

  it('past the allowance shows the overage and the bill', () => {
    const data = fixture('copilot', { used: 330, percent_used: 110, remaining: 0, overage: 30, billed_usd: 1.2 })
    renderCard(CopilotCard, 'copilot', 'GitHub Copilot', { data })
    expect(screen.getByTestId('copilot-overage')).toHaveTextContent('30 requests over the allowance · $1.20 billed')
    expect(screen.getByRole('progressbar', { name: /Over the limit/ }).closest('[data-level]')).toHaveAttribute('data-level', 'over')
  })

  it('says so when there are no requests yet', () => {
    renderCard(CopilotCard, 'copilot', 'GitHub Copilot', { data: fixture('copilot', { models: [], used: 0, percent_used: 0 }) })
    expect(screen.getByText('No premium requests yet this month.')).toBeInTheDocument()
  })

  it('groups models past the fifth', () => {
    const models = ['a', 'b', 'c', 'd', 'e', 'f'].map((model, i) => ({ model, requests: 10 - i, billed_usd: 0 }))
    expect(topModels(models).map((m) => [m.model, m.requests])).toEqual([['a', 10], ['b', 9], ['c', 8], ['d', 7], ['2 other models', 11]])
  })
})

describe('Codex card', () => {
  it('shows one row per window with a countdown, and the plan', () => {
    renderCard(CodexCard, 'codex', 'ChatGPT Codex', { data: fixture('codex') })
    expect(screen.getByText('Plus plan')).toBeInTheDocument()
    expect(screen.getByRole('progressbar', { name: /Codex 5-hour window: 37\s% used/ })).toBeInTheDocument()
    expect(screen.getByRole('progressbar', { name: /Codex Weekly window: 58\s% used/ })).toBeInTheDocument()
    const times = document.querySelectorAll('time')
    expect([...times].map((t) => t.getAttribute('datetime'))).toEqual(['2026-11-29T23:01:00Z', '2026-12-02T21:00:00Z'])
    expect(screen.queryByTestId('codex-limit-reached')).toBeNull()
  })

  it('makes a reached limit unmissable', () => {
    const data = fixture('codex')
    data.limit_reached = true
    data.windows[0].used_percent = 100
    renderCard(CodexCard, 'codex', 'ChatGPT Codex', { data })
    const alert = screen.getByTestId('codex-limit-reached')
    expect(alert).toHaveAttribute('role', 'alert')
    expect(alert).toHaveTextContent(/Limit reached.*5-hour window/)
  })

  it('picks the full window that resets last as the blocker', () => {
    const windows = [
      { id: 'a', used_percent: 100, resets_in_seconds: 60 },
      { id: 'b', used_percent: 100, resets_in_seconds: 6000 },
      { id: 'c', used_percent: 40, resets_in_seconds: 90000 },
    ]
    expect(blockingWindow(windows).id).toBe('b')
    expect(blockingWindow([windows[2]])).toBeNull()
  })

  it('shows credits when the account has them', () => {
    renderCard(CodexCard, 'codex', 'ChatGPT Codex', { data: fixture('codex', { credits: { has_credits: true, unlimited: false, balance: 120 } }) })
    expect(screen.getByText('120 credits')).toBeInTheDocument()
  })

  it('says so when no windows are reported', () => {
    renderCard(CodexCard, 'codex', 'ChatGPT Codex', { data: fixture('codex', { windows: [] }) })
    expect(screen.getByText(/no usage windows/)).toBeInTheDocument()
  })
})

describe('forecasts and trends on the cards', () => {
  const history = (points) => ({ provider: 'x', since: '', until: '', points })

  it('each card says its forecast in words', () => {
    renderCard(OpenRouterCard, 'openrouter', 'OpenRouter', { data: fixture('openrouter') })
    renderCard(CopilotCard, 'copilot', 'GitHub Copilot', { data: fixture('copilot') })
    renderCard(CodexCard, 'codex', 'ChatGPT Codex', { data: fixture('codex') })
    expect(screen.getByTestId('openrouter-forecast')).toHaveTextContent(/At this pace \(\$0.89\/day\): runs out Jan 4/)
    expect(screen.getByTestId('copilot-forecast')).toHaveTextContent('On pace for 155 / 300 by Nov 30')
    expect(screen.getByTestId('copilot-forecast')).toHaveAttribute('data-warning', 'false')
    expect(screen.getByTestId('codex-forecast-secondary')).toHaveTextContent(/Warning: Weekly limit reached in ~/)
    expect(screen.getByTestId('codex-forecast-secondary')).toHaveAttribute('data-warning', 'true')
    expect(screen.getByTestId('codex-forecast-primary')).toHaveTextContent(/On pace for 62\s% at the reset/)
  })

  it('draws the trend from the history API and switches range', async () => {
    globalThis.fetch = vi.fn(async () => jsonResponse(history([
      { t: '2026-11-24T00:00:00Z', used: 100, monthly_limit: 300 },
      { t: '2026-11-25T00:00:00Z', used: 149, monthly_limit: 300 },
    ])))
    renderCard(CopilotCard, 'copilot', 'GitHub Copilot', { data: fixture('copilot') })
    expect(await screen.findByRole('img', { name: /Copilot premium requests, last 7d: now Requests used 149/ })).toBeInTheDocument()
    expect(globalThis.fetch.mock.calls[0][0]).toMatch(/\/api\/history\/github_copilot\?since=/)
    fireEvent.click(screen.getByRole('button', { name: '30d' }))
    expect(await screen.findByRole('img', { name: /last 30d/ })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: '30d' })).toHaveAttribute('aria-pressed', 'true')
    const since = (call) => Date.parse(decodeURIComponent(call[0].split('since=')[1]))
    expect(since(globalThis.fetch.mock.calls[0]) - since(globalThis.fetch.mock.calls.at(-1))).toBeCloseTo(23 * 86400000, -5)
  })

  it('explains an empty or unavailable history instead of an empty chart', async () => {
    globalThis.fetch = vi.fn(async () => jsonResponse(history([])))
    renderCard(CodexCard, 'codex', 'ChatGPT Codex', { data: fixture('codex') })
    expect(await screen.findByText(/No trend yet/)).toBeInTheDocument()
  })

  it('shows why history is unavailable', async () => {
    globalThis.fetch = vi.fn(async () => jsonResponse({ error: { code: 'history_unavailable', message: 'Usage history is unavailable: disk full.' } }, 503))
    renderCard(OpenRouterCard, 'openrouter', 'OpenRouter', { data: fixture('openrouter') })
    expect(await screen.findByText(/Usage history is unavailable: disk full./)).toBeInTheDocument()
  })
})
