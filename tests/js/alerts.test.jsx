import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import AlertsPanel from '../../src/components/AlertsPanel.jsx'
import { jsonResponse, newQueryClient, renderUi } from './helpers.jsx'

const event = (id, name, message) => ({ id, event: name, provider: 'openai_codex', account: 'default', quota: 'primary',
  label: '5-hour', used_percent: 85, threshold: 80, resets_at: null, runs_out_at: null, message, at: '2026-11-25T12:00:00Z' })

describe('the alerts panel', () => {
  let shown
  beforeEach(() => {
    localStorage.clear()
    shown = []
    globalThis.Notification = class {
      static permission = 'granted'
      static requestPermission = vi.fn(async () => 'granted')
      constructor(title, options) { shown.push([title, options.body]) }
    }
  })
  afterEach(() => { delete globalThis.Notification })

  it('lists alerts newest first with an unread count that clears when opened', async () => {
    globalThis.fetch = vi.fn(async () => jsonResponse({ alerts: [event(2, 'threshold', 'Codex 5-hour: 95 % used.'), event(1, 'threshold', 'Codex 5-hour: 85 % used.')], channels: [], demo: false }))
    renderUi(<AlertsPanel now={Date.parse('2026-11-25T12:05:00Z')} />)
    expect(await screen.findByTestId('alerts-unread')).toHaveTextContent('2')
    fireEvent.click(screen.getByRole('button', { name: /Alerts/ }))
    const items = screen.getAllByRole('listitem')
    expect(items.map((li) => li.textContent)).toEqual([expect.stringContaining('95 % used'), expect.stringContaining('85 % used')])
    expect(screen.queryByTestId('alerts-unread')).toBeNull()
  })

  it('pops up only alerts that arrive while the page is open', async () => {
    let body = { alerts: [event(1, 'threshold', 'old')], channels: [], demo: false }
    globalThis.fetch = vi.fn(async () => jsonResponse(body))
    const client = newQueryClient()
    renderUi(<AlertsPanel now={0} />, client)
    await screen.findByTestId('alerts-unread')
    expect(shown).toEqual([])
    body = { alerts: [event(2, 'limit_reached', 'Codex 5-hour: limit reached.'), ...body.alerts], channels: [], demo: false }
    await act(async () => { await client.refetchQueries() }) // what the one-minute refetch does
    await waitFor(() => expect(shown).toEqual([['AI usage: limit reached', 'Codex 5-hour: limit reached.']]))
  })

  it('asks the browser for the permission once, not on every render, and follows a change made in its settings', async () => {
    let reads = 0
    let permission = 'default'
    globalThis.Notification = class { static get permission() { reads += 1; return permission } }
    let status = null
    const query = vi.fn(async () => (status = { state: permission, onchange: null }))
    vi.stubGlobal('navigator', { ...navigator, permissions: { query } })
    onTestFinished(() => vi.unstubAllGlobals())
    let body = { alerts: [event(1, 'threshold', 'one')], channels: [], demo: false }
    globalThis.fetch = vi.fn(async () => jsonResponse(body))
    const client = newQueryClient()
    renderUi(<AlertsPanel now={0} />, client)
    expect(await screen.findByRole('button', { name: 'Notify me' })).toBeInTheDocument()
    await waitFor(() => expect(status?.onchange).toBeTypeOf('function'))
    const before = reads
    for (const id of [2, 3, 4]) { // new alerts arrive: the panel renders again each time
      body = { alerts: [event(id, 'threshold', `alert ${id}`), ...body.alerts], channels: [], demo: false }
      await act(async () => { await client.refetchQueries() })
    }
    expect(await screen.findByTestId('alerts-unread')).toHaveTextContent('4')
    expect(reads).toBe(before)
    // Allowed in the browser's site settings: the Permissions API says so, and "Notify me" goes.
    permission = 'granted'
    act(() => status.onchange())
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Notify me' })).toBeNull())
  })
})
