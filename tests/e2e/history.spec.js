import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PYTHON, cardsSettled, expect, test } from './fixtures.js'

/** A history file with three days of OpenRouter and Copilot readings, written by the real store. */
function seedHistory() {
  const db = join(mkdtempSync(join(tmpdir(), 'dash-history-')), 'history.sqlite3')
  const code = `
import sys, time
sys.path.insert(0, '.')
from backend.history_store import HistoryStore
store, now = HistoryStore(sys.argv[1]), time.time()
period = time.strftime('%Y-%m', time.gmtime(now))
for hour in range(72, 0, -1):
    t = now - hour * 3600
    store.record('openrouter', t, {'usage_usd': 118.7255 - 2.0 * hour / 24, 'balance_usd': 31.2745 + 2.0 * hour / 24})
    store.record('github_copilot', t, {'used': 149 - hour, 'monthly_limit': 300, 'period': period})
`
  const result = spawnSync(PYTHON, ['-c', code, db], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return db
}

test('seeded history shows as a trend, and the forecast uses it', async ({ page, startApi }) => {
  await page.goto(await startApi({ env: { DASHBOARD_DB: seedHistory() } }))
  await cardsSettled(page)
  const openrouter = page.getByTestId('card-openrouter')
  await expect(openrouter.getByRole('img', { name: /OpenRouter, last 7d: now Balance \$31.27/ })).toBeVisible()
  await expect(page.getByTestId('openrouter-forecast')).toContainText('At this pace ($2.00/day): runs out')
  await expect(page.getByTestId('openrouter-forecast')).toHaveAttribute('title', /Based on 73 readings over 3 days/)
  const copilot = page.getByTestId('card-copilot')
  await expect(copilot.getByRole('img', { name: /Copilot premium requests, last 7d: now Requests used 149/ })).toBeVisible()
  await expect(page.getByTestId('copilot-forecast')).toContainText(/On pace for \d+ \/ 300 by/)
  await copilot.getByRole('button', { name: '24h' }).click()
  await expect(copilot.getByRole('img', { name: /last 24h/ })).toBeVisible()
})

test('a fresh install explains that the trend is still being recorded', async ({ page, startApi }) => {
  await page.goto(await startApi({ env: { SAMPLE_INTERVAL_SECONDS: '0' } }))
  await cardsSettled(page)
  await expect(page.getByTestId('trend-openai_codex')).toContainText('No trend yet')
  await expect(page.getByTestId('codex-forecast-primary')).toContainText('On pace for')
})
