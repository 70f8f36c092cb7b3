import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PYTHON, cardsSettled, expect, test } from './fixtures.js'

/** A history file with three days of OpenRouter balance readings, written by the real store. */
function seedHistory() {
  const db = join(mkdtempSync(join(tmpdir(), 'dash-history-')), 'history.sqlite3')
  const code = `
import sys, time
sys.path.insert(0, '.')
from backend.history_store import HistoryStore
store, now = HistoryStore(sys.argv[1]), time.time()
for hour in range(72, 0, -1):
    used = 118.7255 - 2.0 * hour / 24
    store.record('openrouter', now - hour * 3600, {'quotas': {'balance': [used, 150, None]}})
`
  const result = spawnSync(PYTHON, ['-c', code, db], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return db
}

test('seeded history shows as a trend against the limit, and the pace uses it', async ({ page, startApi }) => {
  await page.goto(await startApi({ env: { DASHBOARD_DB: seedHistory() } }))
  await cardsSettled(page)
  const openrouter = page.getByTestId('card-openrouter')
  await openrouter.getByRole('button', { name: 'Account balance' }).click()
  await expect(openrouter.getByRole('img', { name: /OpenRouter, Account balance: \$118.73 used of \$150.00, 7d/ })).toBeVisible()
  await expect(page.getByTestId('pace-balance')).toContainText('Lasts ~16 days at $2.00 a day')
  await expect(page.getByTestId('pace-balance')).toHaveAttribute('title', /Based on 73 readings over 3 days/)
  await openrouter.getByRole('button', { name: '24h' }).click()
  await expect(openrouter.getByRole('img', { name: /Account balance.*24h/ })).toBeVisible()
  const chartStops = await page.evaluate(() => [...document.querySelectorAll('figure *')].filter((el) => el.tabIndex >= 0).length)
  expect(chartStops).toBe(0) // charts are not tab stops
  // Every axis label is drawn whole: none sticks out of its chart's SVG (the top one used to lose 3 px).
  const clipped = await openrouter.locator('figure svg.recharts-surface').evaluate((svg) => {
    const box = svg.getBoundingClientRect()
    return [...svg.querySelectorAll('.recharts-cartesian-axis-tick-value')].map((label) => [label.textContent, label.getBoundingClientRect()])
      .filter(([, r]) => r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5 || r.left < box.left - 0.5 || r.right > box.right + 0.5)
      .map(([text]) => text)
  })
  expect(clipped).toEqual([])
})

test('a fresh install explains that the trend is still being recorded', async ({ page, startApi }) => {
  await page.goto(await startApi({ env: { SAMPLE_INTERVAL_SECONDS: '0' } }))
  await cardsSettled(page)
  await expect(page.getByTestId('trend-openai_codex')).toContainText('No trend yet')
  await expect(page.getByTestId('pace-primary')).toContainText('Lasts until the reset (on pace for')
})
