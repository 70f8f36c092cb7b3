import { readFileSync } from 'node:fs'
import { DEV_API_PORT, DEV_WEB_PORT } from '../../playwright.config.js'
import { cardsSettled, expect, test } from './fixtures.js'

const card = (page, key) => page.getByTestId(`card-${key}`)
const quota = (page, key, id) => card(page, key).getByTestId(`quota-${id}`)
const real = (provider, name) => JSON.parse(readFileSync(new URL(`../fixtures/upstream/${provider}/${name}`, import.meta.url), 'utf8'))

test('every card shows the upstream numbers as quotas', async ({ page, startApi }) => {
  await page.goto(await startApi())
  await cardsSettled(page)
  await expect(quota(page, 'openrouter', 'balance')).toContainText('$31.27 left')
  await expect(quota(page, 'openrouter', 'key_limit')).toContainText(/resets \w{3}.* · in /) // the key limit's reset
  await expect(quota(page, 'github_copilot', 'monthly')).toContainText('1,400 credits left')
  await expect(card(page, 'github_copilot').getByTestId('copilot-unit')).toContainText('Billed in AI credits · worth $1.00')
  await expect(quota(page, 'openai_codex', 'primary')).toContainText('63 % left')
  await expect(card(page, 'openai_codex').getByRole('progressbar', { name: /ChatGPT Codex Weekly: 58\s% used/ })).toBeVisible()
  await expect(page.getByTestId('summary-strip').getByRole('link')).toHaveCount(5)
  await expect(page.getByTestId('demo-banner')).toHaveCount(0)
})

for (const [mode, message] of [
  ['500', /answered with an error \(HTTP 500\)/],
  ['timeout', /did not answer in time/],
  ['401', /refused the credentials.*GITHUB_PAT/],
]) {
  test(`a Copilot upstream ${mode} shows on its card only`, async ({ page, startApi, upstream }) => {
    await upstream.set('github_copilot', { mode })
    await page.goto(await startApi())
    await cardsSettled(page)
    await expect(card(page, 'github_copilot')).toHaveAttribute('data-state', 'error')
    await expect(card(page, 'github_copilot').getByRole('alert')).toContainText(message)
    await expect(card(page, 'openrouter')).toHaveAttribute('data-state', 'content')
    await expect(card(page, 'openai_codex')).toHaveAttribute('data-state', 'content')
  })
}

test('Retry recovers a card once the upstream recovers', async ({ page, startApi, upstream }) => {
  await upstream.set('openai_codex', { mode: '500' })
  await page.goto(await startApi())
  await expect(card(page, 'openai_codex')).toHaveAttribute('data-state', 'error')
  await upstream.set('openai_codex', { mode: 'ok' })
  await card(page, 'openai_codex').getByRole('button', { name: 'Retry' }).click()
  await expect(card(page, 'openai_codex')).toHaveAttribute('data-state', 'content')
  await expect(quota(page, 'openai_codex', 'primary')).toContainText('63 % left')
})

test('Refresh reads the providers again', async ({ page, startApi, upstream }) => {
  await page.goto(await startApi())
  await expect(quota(page, 'openrouter', 'balance')).toContainText('$31.27 left')
  await upstream.setPayload('openrouter-credits.json', { data: { total_credits: 200, total_usage: 118.7255 } })
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(quota(page, 'openrouter', 'balance')).toContainText('$81.27 left')
})

test('a failed refresh keeps the last numbers, marked stale with the reason', async ({ page, startApi, upstream }) => {
  await page.goto(await startApi())
  await expect(quota(page, 'github_copilot', 'monthly')).toContainText('1,400 credits left')
  await upstream.set('github_copilot', { mode: '500' })
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(card(page, 'github_copilot').getByText('stale', { exact: true })).toBeVisible()
  await expect(card(page, 'github_copilot')).toContainText('Showing the last good reading')
  await expect(quota(page, 'github_copilot', 'monthly')).toContainText('1,400 credits left')
})

test('a second OpenRouter key is its own named card', async ({ page, startApi }) => {
  await page.goto(await startApi({ env: { OPENROUTER_API_KEY__WORK: 'sk-or-e2e-work-key' } }))
  await cardsSettled(page)
  await expect(card(page, 'openrouter.work').getByRole('heading', { name: 'OpenRouter · work' })).toBeVisible()
  await expect(card(page, 'openrouter').getByRole('heading', { name: 'OpenRouter · default' })).toBeVisible()
})

test('a weekly-only Codex plan shows one Weekly window; blocked reason, code review and notes show', async ({ page, startApi, upstream }) => {
  const body = real('codex', 'codexbar-team-weekly-only-pat.json')
  body.code_review_rate_limit = real('codex', 'live-team-5h-weekly-code-review-rate-limit.json').code_review_rate_limit
  body.rate_limit_reached_type = { type: 'workspace_member_credits_depleted' }
  body.credits = { has_credits: true, unlimited: false, balance: [] } // malformed: a note, not a broken card
  await upstream.setPayload('codex-wham-usage.json', body)
  await page.goto(await startApi())
  await cardsSettled(page)
  const codex = card(page, 'openai_codex')
  await expect(codex.getByTestId(/^quota-/)).toHaveCount(2)
  await expect(quota(page, 'openai_codex', 'secondary')).toContainText('Weekly')
  await expect(quota(page, 'openai_codex', 'code-review:secondary')).toContainText('Code review · Weekly')
  await expect(codex.getByTestId('codex-blocked')).toContainText('credits for members are used up')
  await expect(codex.getByTestId('notes-openai_codex')).toContainText('credits.balance')
})

test('demo mode shows the banner, two OpenRouter accounts and demo numbers', async ({ page, startApi }) => {
  await page.goto(await startApi({ demo: true }))
  await expect(page.getByTestId('demo-banner')).toBeVisible()
  await cardsSettled(page)
  await expect(card(page, 'openrouter.work')).toBeVisible()
  await expect(quota(page, 'github_copilot', 'monthly')).toContainText('credits left')
})

test('phone width: one column and no horizontal scroll', async ({ page, startApi }) => {
  await page.setViewportSize({ width: 375, height: 800 })
  await page.goto(await startApi())
  await cardsSettled(page)
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
  expect(widths.scroll).toBeLessThanOrEqual(widths.client)
  const boxes = await Promise.all(['openrouter', 'github_copilot', 'openai_codex'].map((key) => card(page, key).boundingBox()))
  expect(boxes[0].x).toBe(boxes[1].x)
  expect(boxes[1].y).toBeGreaterThan(boxes[0].y)
})

test('tablet width: two columns', async ({ page, startApi }) => {
  await page.setViewportSize({ width: 820, height: 1000 })
  await page.goto(await startApi())
  await cardsSettled(page)
  const boxes = await Promise.all(['openrouter', 'github_copilot', 'openai_codex'].map((key) => card(page, key).boundingBox()))
  expect(boxes[0].y).toBe(boxes[1].y)
  expect(boxes[2].x).toBe(boxes[0].x)
})

test('wide screen: three columns side by side', async ({ page, startApi }) => {
  await page.setViewportSize({ width: 1400, height: 900 })
  await page.goto(await startApi())
  await cardsSettled(page)
  const boxes = await Promise.all(['openrouter', 'github_copilot', 'openai_codex'].map((key) => card(page, key).boundingBox()))
  expect(boxes[0].y).toBe(boxes[1].y)
  expect(boxes[2].x).toBeGreaterThan(boxes[1].x)
})

test('the Vite dev page reads the API across origins (CORS)', async ({ page, startApi }) => {
  await startApi({ port: DEV_API_PORT, env: { CORS_ORIGINS: `http://127.0.0.1:${DEV_WEB_PORT}` } })
  await page.goto(`http://127.0.0.1:${DEV_WEB_PORT}`)
  await cardsSettled(page)
  await expect(quota(page, 'openrouter', 'balance')).toContainText('$31.27 left')
  await expect(quota(page, 'github_copilot', 'monthly')).toContainText('1,400 credits left')
})

test('alerts the API raised are listed with an unread count, and pace words agree with the colours', async ({ page, startApi, upstream }) => {
  const body = JSON.parse(readFileSync(new URL('../fixtures/upstream/codex-wham-usage.json', import.meta.url), 'utf8'))
  const now = Math.floor(Date.now() / 1000)
  body.rate_limit.primary_window = { used_percent: 97, limit_window_seconds: 18000, reset_at: now + 3 * 3600 }
  body.rate_limit.secondary_window = { used_percent: 10, limit_window_seconds: 604800, reset_at: now + 3 * 86400 }
  await upstream.setPayload('codex-wham-usage.json', body)
  await page.goto(await startApi())
  await cardsSettled(page)
  const primary = quota(page, 'openai_codex', 'primary')
  await expect(primary).toHaveAttribute('data-status', 'critical')
  await expect(page.getByTestId('pace-primary')).toContainText(/^At risk: Runs out in ~\d+ min/)
  // Codex raises three (80 %, 95 %, runs out before the reset); near a month's start the other fixtures' monthly
  // pace may raise their own, so count Codex's and check the badge counts every event listed.
  await expect(page.getByTestId('alerts-unread')).toHaveText(/^([3-9]|\d\d+)$/)
  const unread = Number(await page.getByTestId('alerts-unread').textContent())
  await page.getByRole('button', { name: /Alerts/ }).click()
  const codex = page.locator('#alerts-list li').filter({ hasText: 'Codex 5-hour' })
  await expect(codex).toHaveCount(3)
  await expect(codex.first()).toContainText('runs out')
  await expect(page.locator('#alerts-list li')).toHaveCount(unread)
  await expect(page.getByTestId('alerts-unread')).toHaveCount(0)
})
