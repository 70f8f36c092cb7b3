// The server's first paint (src/server/renderPage.jsx) and the browser's first render must be the same tree, or the
// browser redraws the page it was sent. React reports each difference as a recoverable error; these tests fail on one.
import createCache from '@emotion/cache'
import { QueryClient } from '@tanstack/react-query'
import { act } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { seedAnswers } from '../../src/api/initialData.js'
import { QUERY_DEFAULTS } from '../../src/api/queryClient.js'
import { startClockAt } from '../../src/hooks/useNow.js'
import Root from '../../src/Root.jsx'
import { renderPage } from '../../src/server/renderPage.jsx'
import { prebuilt, system } from '../../src/theme.js'
import { fixtures } from './helpers.jsx'

globalThis.IS_REACT_ACT_ENVIRONMENT = true // act() below, as @testing-library/react sets for its own renders

const NOW = Math.floor(Date.now() / 1000) * 1000 // the answers are fresh (30 s), as a page just sent
const ANSWERS = {
  '/api/accounts': fixtures.accounts,
  '/api/openrouter/balance': fixtures.openrouter,
  '/api/github/copilot/premium-usage': fixtures.github_copilot,
  '/api/openai/codex/limits': fixtures.openai_codex,
}

/** Put the server's HTML into the page and let the browser's render adopt it, as src/boot.jsx does. */
async function hydrate(html, { answers = ANSWERS, now = NOW } = {}) {
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  const client = new QueryClient(QUERY_DEFAULTS)
  seedAnswers(client, answers, now)
  startClockAt(now)
  const errors = []
  let root
  await act(async () => {
    root = hydrateRoot(container, <Root queryClient={client} system={prebuilt(system)} styleCache={createCache({ key: 'css' })} />, {
      onRecoverableError: (error) => errors.push(String(error?.message ?? error)),
    })
  })
  return { container, errors, root }
}

let mounted = []
afterEach(() => {
  for (const root of mounted) act(() => root.unmount())
  mounted = []
  document.body.innerHTML = ''
  localStorage.clear()
  delete globalThis.Notification
  vi.restoreAllMocks()
})

describe('server-rendered first paint', () => {
  it('is adopted by the browser as it is: the same elements, no difference reported', async () => {
    const logged = vi.spyOn(console, 'error')
    const { html } = renderPage({ answers: ANSWERS, now: NOW, locale: 'en-US' })
    expect(html).toContain('data-testid="card-openai_codex" data-state="content"')
    const { container, errors, root } = await hydrate(html)
    mounted.push(root)
    const card = container.querySelector('[data-testid="card-openrouter"]')
    expect(errors).toEqual([])
    expect(logged).not.toHaveBeenCalled()
    // Adopted, not redrawn: the node the server sent is the one React now owns.
    expect(container.querySelector('[data-testid="card-openrouter"]')).toBe(card)
    expect(card).toHaveAttribute('data-state', 'content')
  })

  it('would be caught if the two renders differed (a browser clock two hours on)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const { html } = renderPage({ answers: ANSWERS, now: NOW, locale: 'en-US' })
    const { errors, root } = await hydrate(html, { now: NOW + 2 * 3600 * 1000 })
    mounted.push(root)
    expect(errors.length).toBeGreaterThan(0)
  })

  it('matches whatever the browser knows and the server cannot: a stored dark mode, notification permission', async () => {
    const logged = vi.spyOn(console, 'error')
    const { html } = renderPage({ answers: ANSWERS, now: NOW, locale: 'en-US' })
    localStorage.setItem('ai-usage-color-mode', 'dark')
    globalThis.Notification = { permission: 'default', requestPermission: async () => 'default' }
    const { container, errors, root } = await hydrate(html)
    mounted.push(root)
    expect(errors).toEqual([])
    expect(logged).not.toHaveBeenCalled()
    // Right after adopting the page, the browser's own facts show.
    expect(container.querySelector('button[aria-label="Switch to light mode"]')).not.toBeNull()
    expect([...container.querySelectorAll('button')].some((b) => b.textContent === 'Notify me')).toBe(true)
  })

  it('adopts the page when notifications were already allowed, then drops "Notify me"', async () => {
    const logged = vi.spyOn(console, 'error')
    const { html } = renderPage({ answers: ANSWERS, now: NOW, locale: 'en-US' })
    expect(html).toContain('Notify me') // the server cannot know: it draws the usual case
    globalThis.Notification = { permission: 'granted', requestPermission: async () => 'granted' }
    globalThis.fetch = vi.fn(() => new Promise(() => {}))
    const { container, errors, root } = await hydrate(html)
    mounted.push(root)
    expect(errors).toEqual([])
    expect(logged).not.toHaveBeenCalled()
    expect([...container.querySelectorAll('button')].some((b) => b.textContent === 'Notify me')).toBe(false)
  })

  it('adopts a page whose answers are stale by the browser\'s clock (a tab opened late), then refetches them', async () => {
    const logged = vi.spyOn(console, 'error')
    const sent = NOW - 60_000 // the page was sent a minute ago: by this clock its answers are past their 30 s
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(sent) // the server's clock when it drew the page: fresh answers, nothing loading
    const { html } = renderPage({ answers: ANSWERS, now: sent, locale: 'en-US' })
    vi.useRealTimers()
    expect(html).toContain('data-testid="card-openrouter" data-state="content" aria-busy="false"')
    globalThis.fetch = vi.fn(() => new Promise(() => {})) // the refetches stay under way
    const { container, errors, root } = await hydrate(html, { now: sent })
    mounted.push(root)
    expect(errors).toEqual([])
    expect(logged).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(container.querySelector('[data-testid="card-openrouter"]')).toHaveAttribute('aria-busy', 'true'))
  })

  it('renders cards still loading when their answers are not in the page, and the browser adopts that too', async () => {
    const answers = { '/api/accounts': fixtures.accounts, '/api/openrouter/balance': fixtures.openrouter }
    const { html } = renderPage({ answers, now: NOW, locale: 'en-US' })
    expect(html).toContain('data-testid="card-github_copilot" data-state="loading"')
    globalThis.fetch = vi.fn(() => new Promise(() => {})) // the other answers are still on their way
    const { errors, root } = await hydrate(html, { answers })
    mounted.push(root)
    expect(errors).toEqual([])
  })
})
