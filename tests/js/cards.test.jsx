import { act, fireEvent, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import AccountCard from '../../src/components/AccountCard.jsx'
import CardError from '../../src/components/CardError.jsx'
import QuotaRow from '../../src/components/QuotaRow.jsx'
import RichText from '../../src/components/RichText.jsx'
import { STATUS } from '../../src/utils/status.js'
import { fixture, renderUi, resource } from './helpers.jsx'

const NOW = Date.parse('2026-11-29T21:00:00Z') // the fixtures' clock
const ACCOUNTS = Object.fromEntries(fixture('accounts').accounts.map((a) => [a.provider, a]))

function renderCard(provider, res, { account = ACCOUNTS[provider], showAccount = false } = {}) {
  return renderUi(<AccountCard cardKey={provider} account={account} resource={resource(res)} now={NOW} chartsReady={false} showAccount={showAccount} />)
}

describe.each(Object.keys(ACCOUNTS))('%s card frame', (provider) => {
  const title = ACCOUNTS[provider].title
  it('shows a skeleton while loading', () => {
    renderCard(provider, { loading: true })
    const card = screen.getByTestId(`card-${provider}`)
    expect(card).toHaveAttribute('data-state', 'loading')
    expect(within(card).getByTestId('card-skeleton')).toBeInTheDocument()
    expect(within(card).queryByRole('alert')).toBeNull()
    expect(within(card).getByRole('heading', { name: title })).toBeInTheDocument()
  })

  it('shows the API title and message with a Retry that reloads this card', () => {
    const reload = vi.fn()
    const error = { code: 'unauthorized', title: 'Credentials refused', message: 'Check OPENROUTER_API_KEY in .env.', transient: true }
    renderCard(provider, { error, reload })
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('Credentials refused')
    expect(alert).toHaveTextContent('Check OPENROUTER_API_KEY in .env.')
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }))
    expect(reload).toHaveBeenCalledWith({ refresh: true })
  })

  it('shows every quota, the status and where the data came from', () => {
    const data = fixture(provider)
    renderCard(provider, { data })
    const card = screen.getByTestId(`card-${provider}`)
    expect(card).toHaveAttribute('data-state', 'content')
    for (const quota of data.quotas) expect(within(card).getByTestId(`quota-${quota.id}`)).toHaveAttribute('data-status', quota.status)
    expect(within(card).getByTestId(`about-${provider}`)).toHaveTextContent(/^Live · fetched /)
    expect(within(card).queryByText('stale')).toBeNull()
  })

  it('marks stale data with a badge and the reason', () => {
    const data = fixture(provider, { stale: true, error: { code: 'upstream_timeout', message: 'The provider did not answer in time.' } })
    renderCard(provider, { data })
    expect(screen.getByText('stale')).toBeInTheDocument()
    expect(screen.getByText('Showing the last good reading')).toBeInTheDocument()
    expect(screen.getByText('The provider did not answer in time.')).toBeInTheDocument()
  })

  it('marks demo data', () => {
    renderCard(provider, { data: fixture(provider, { source: 'demo' }) })
    expect(screen.getByText('demo')).toBeInTheDocument()
    expect(screen.getByTestId(`about-${provider}`)).toHaveTextContent(/^Demo data/)
  })

  it('keeps the trend\'s place before the other cards have their numbers, and reads no history yet', () => {
    renderCard(provider, { data: fixture(provider) })
    const trend = screen.getByTestId(`trend-${provider}`)
    expect(within(trend).getAllByRole('button', { name: /^(24h|7d|30d)$/ })).toHaveLength(3)
    expect(globalThis.fetch).not.toHaveBeenCalled()
  })

  it('says when this account refreshes next, from when its own answer was loaded', () => {
    const res = resource({ data: fixture(provider), loadedAt: NOW - 90_000 })
    renderUi(<AccountCard cardKey={provider} account={ACCOUNTS[provider]} resource={res} now={NOW} chartsReady={false} refreshEvery={300_000} />)
    expect(screen.getByTestId(`about-${provider}`)).toHaveTextContent(/· next refresh in 4 min$/)
  })
})

describe('a quota row', () => {
  const base = fixture('openai_codex').quotas[0]
  it.each(Object.keys(STATUS))('%s: the colour, the words and the aria label agree', (status) => {
    const quota = { ...base, status }
    renderUi(<QuotaRow quota={quota} now={NOW} title="ChatGPT Codex" />)
    const row = screen.getByTestId(`quota-${base.id}`)
    expect(row).toHaveAttribute('data-status', status)
    expect(row.className).toBeTruthy()
    const bar = within(row).getByRole('progressbar')
    expect(bar).toHaveAccessibleName(new RegExp(`${STATUS[status].label}$`))
    expect(within(row).getByTestId(`pace-${base.id}`)).toHaveTextContent(STATUS[status].label)
  })

  it('a reached limit says so in the bar, the words and the label', () => {
    const quota = { ...base, used: 100, used_percent: 100, remaining: 0, status: 'critical', pace: null }
    renderUi(<QuotaRow quota={quota} now={NOW} title="ChatGPT Codex" />)
    expect(screen.getByRole('progressbar')).toHaveAccessibleName(/100.% used, Limit reached$/)
    expect(screen.getByTestId(`pace-${base.id}`)).toHaveTextContent('Limit reached')
  })

  it('shows a reset as a moment and a margin', () => {
    renderUi(<QuotaRow quota={base} now={NOW} title="ChatGPT Codex" />)
    expect(screen.getByTestId(`quota-${base.id}`)).toHaveTextContent(/resets \w{3} \d\d:\d\d · in 2 h 1 min/)
  })

  it('an unknown limit is never a made-up number', () => {
    const quota = { ...base, unit: 'ai_credits', limit: null, remaining: null, used_percent: null, used: 12, status: 'unknown', pace: null }
    renderUi(<QuotaRow quota={quota} now={NOW} title="GitHub Copilot" />)
    expect(screen.getByTestId(`quota-${base.id}`)).toHaveTextContent('left unknown')
    expect(screen.getByTestId(`quota-${base.id}`)).toHaveTextContent('12 of —')
  })
})

describe('provider extras', () => {
  it('Copilot names its unit, the dollar value of credits and where the allowance came from', () => {
    const data = fixture('github_copilot', { unit: 'ai_credits', used_usd: 9.03, allowance_source: 'COPILOT_PLAN=pro' })
    renderCard('github_copilot', { data })
    expect(screen.getByTestId('copilot-unit')).toHaveTextContent('Billed in AI credits · worth $9.03 · allowance from COPILOT_PLAN=pro')
  })

  it('Codex shows why it is blocked, and every window including code review', () => {
    const data = fixture('openai_codex', { blocked_reason: { type: 'workspace_member_credits_depleted', message: 'Your workspace credits are used up.' } })
    data.quotas.push({ ...data.quotas[1], id: 'code-review:secondary', label: 'Code review · Weekly' })
    renderCard('openai_codex', { data })
    expect(screen.getByTestId('codex-blocked')).toHaveTextContent('Your workspace credits are used up.')
    expect(screen.getByTestId('quota-code-review:secondary')).toHaveTextContent('Code review · Weekly')
  })

  it('OpenRouter says why the balance is unknown, and spend by model', () => {
    const data = fixture('openrouter', { account_problem: 'The account balance needs a management key.', models: [{ model: 'openai/gpt-5', usage_usd: 3.2, requests: 9 }] })
    renderCard('openrouter', { data })
    expect(screen.getByTestId('openrouter-account-problem')).toHaveTextContent('management key')
    expect(screen.getByTestId('openrouter-models')).toHaveTextContent('openai/gpt-5$3.20')
  })

  it('partial data lists what was left out', () => {
    const data = fixture('openai_codex', { partial: true, notes: ['credits.balance was not a usable number, so it is left out.'] })
    renderCard('openai_codex', { data })
    expect(screen.getByTestId('notes-openai_codex')).toHaveTextContent('credits.balance was not a usable number')
  })

  it('a second account is named on its card', () => {
    renderCard('openrouter', { data: fixture('openrouter') }, { account: { ...ACCOUNTS.openrouter, account: 'work' }, showAccount: true })
    expect(screen.getByRole('heading', { name: 'OpenRouter · work' })).toBeInTheDocument()
  })
})

describe('messages', () => {
  it('shows `code` as code and URLs as links, never raw backticks', () => {
    renderUi(<p data-testid="m"><RichText text="Run `codex login`, then see https://github.com/settings/tokens." /></p>)
    const message = screen.getByTestId('m')
    expect(message).not.toHaveTextContent('`')
    expect(within(message).getByText('codex login').tagName).toBe('CODE')
    expect(within(message).getByRole('link')).toHaveAttribute('href', 'https://github.com/settings/tokens')
    expect(message).toHaveTextContent(/tokens\.$/)
  })
})

describe('an error with a wait', () => {
  it('counts down each second to when retrying makes sense, then says nothing more', () => {
    vi.useFakeTimers({ now: NOW })
    try {
      const error = { code: 'upstream_error', message: 'The provider answered with an error.', transient: true, retryAfterSeconds: 5, receivedAt: NOW }
      renderUi(<CardError error={error} onRetry={() => {}} retrying={false} />)
      expect(screen.getByTestId('retry-countdown')).toHaveTextContent('You can retry in 5 s.')
      act(() => { vi.advanceTimersByTime(2000) })
      expect(screen.getByTestId('retry-countdown')).toHaveTextContent('You can retry in 3 s.')
      act(() => { vi.advanceTimersByTime(3000) })
      expect(screen.queryByTestId('retry-countdown')).toBeNull()
      expect(screen.getByRole('button', { name: 'Retry' })).toBeEnabled()
    } finally {
      vi.useRealTimers()
    }
  })
})
