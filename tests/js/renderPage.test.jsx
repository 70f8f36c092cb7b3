// @vitest-environment node
// The worker's render as it runs in Node: no document, Emotion's server build. The page is painted from this HTML and
// CSS alone (before any script runs), so every class the HTML uses must come with its rules.
import { describe, expect, it } from 'vitest'
import { renderPage } from '../../src/server/renderPage.jsx'
import accounts from '../fixtures/api/accounts.json'
import codex from '../fixtures/api/codex.json'
import copilot from '../fixtures/api/copilot.json'
import openrouter from '../fixtures/api/openrouter.json'

const ANSWERS = {
  '/api/accounts': accounts,
  '/api/openrouter/balance': openrouter,
  '/api/github/copilot/premium-usage': copilot,
  '/api/openai/codex/limits': codex,
}
const NOW = Date.parse('2026-12-02T06:40:00Z')

describe('renderPage (Node)', () => {
  it('sends the CSS of every class its HTML uses, and no <style> inside the markup', () => {
    const { html, css, ids } = renderPage({ answers: ANSWERS, now: NOW, locale: 'en-US' })
    const used = new Set([...html.matchAll(/class="([^"]*)"/g)].flatMap((m) => m[1].split(' ')).filter((c) => c.startsWith('css-')))
    expect(used.size).toBeGreaterThan(20)
    for (const name of used) {
      expect(ids).toContain(name.slice(4))
      expect(css).toContain(`.${name}`)
    }
    expect(html).not.toContain('<style')
    for (const card of ['openrouter', 'github_copilot', 'openai_codex']) expect(html).toContain(`data-testid="card-${card}" data-state="content"`)
  })

  it('writes times in the browser\'s time zone, and ignores a locale or zone Intl does not know', () => {
    const updated = (timeZone) => renderPage({ answers: ANSWERS, now: NOW, locale: 'en-US', timeZone }).html.match(/Updated ([^<]+)</)[1]
    expect(updated('Asia/Tokyo')).toBe('15:40:00') // 06:40 UTC
    expect(updated('America/New_York')).toBe('01:40:00')
    expect(updated('Not/AZone')).toBe(updated(undefined))
    expect(() => renderPage({ answers: ANSWERS, now: NOW, locale: 'en-a', timeZone: '../etc' })).not.toThrow()
  })

  it('formats in the locale the browser asked for, and each render keeps to its own', () => {
    const german = renderPage({ answers: ANSWERS, now: NOW, locale: 'de-DE' }).html
    const english = renderPage({ answers: ANSWERS, now: NOW, locale: 'en-US' }).html
    expect(german).toContain('31,27')
    expect(english).toContain('$31.27')
    expect(english).not.toContain('31,27')
  })
})
