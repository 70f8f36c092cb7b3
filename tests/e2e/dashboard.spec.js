import { DEV_API_PORT, DEV_WEB_PORT } from '../../playwright.config.js'
import { cardsSettled, expect, test } from './fixtures.js'

const card = (page, id) => page.getByTestId(`card-${id}`)

test('all three cards show the upstream numbers', async ({ page, startApi }) => {
  await page.goto(await startApi())
  await cardsSettled(page)
  await expect(page.getByTestId('openrouter-headline')).toHaveText('$31.27')
  await expect(page.getByTestId('copilot-headline')).toHaveText('149 / 300')
  await expect(card(page, 'codex').getByRole('progressbar', { name: /5-hour window: 37\s%/ })).toBeVisible()
  await expect(card(page, 'codex').getByRole('progressbar', { name: /Weekly window: 58\s%/ })).toBeVisible()
  await expect(card(page, 'copilot').getByRole('img', { name: /Requests by model: Claude Sonnet 4.5 96/ })).toBeVisible()
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
    await expect(card(page, 'copilot')).toHaveAttribute('data-state', 'error')
    await expect(card(page, 'copilot').getByRole('alert')).toContainText(message)
    await expect(card(page, 'openrouter')).toHaveAttribute('data-state', 'content')
    await expect(card(page, 'codex')).toHaveAttribute('data-state', 'content')
    await expect(page.getByTestId('openrouter-headline')).toHaveText('$31.27')
  })
}

test('Retry recovers a card once the upstream recovers', async ({ page, startApi, upstream }) => {
  await upstream.set('openai_codex', { mode: '500' })
  await page.goto(await startApi())
  await expect(card(page, 'codex')).toHaveAttribute('data-state', 'error')
  await upstream.set('openai_codex', { mode: 'ok' })
  await card(page, 'codex').getByRole('button', { name: 'Retry' }).click()
  await expect(card(page, 'codex')).toHaveAttribute('data-state', 'content')
  await expect(card(page, 'codex').getByRole('progressbar', { name: /5-hour window: 37\s%/ })).toBeVisible()
})

test('Refresh reads the providers again', async ({ page, startApi, upstream }) => {
  await page.goto(await startApi())
  await expect(page.getByTestId('openrouter-headline')).toHaveText('$31.27')
  await upstream.setPayload('openrouter-credits.json', { data: { total_credits: 200, total_usage: 118.7255 } })
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(page.getByTestId('openrouter-headline')).toHaveText('$81.27')
})

test('a failed refresh keeps the last numbers, marked stale with the reason', async ({ page, startApi, upstream }) => {
  await page.goto(await startApi())
  await expect(page.getByTestId('copilot-headline')).toHaveText('149 / 300')
  await upstream.set('github_copilot', { mode: '500' })
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(card(page, 'copilot').getByText('stale', { exact: true })).toBeVisible()
  await expect(card(page, 'copilot')).toContainText('Showing the last good reading')
  await expect(page.getByTestId('copilot-headline')).toHaveText('149 / 300')
})

test('demo mode shows the banner and demo numbers', async ({ page, startApi }) => {
  await page.goto(await startApi({ demo: true }))
  await expect(page.getByTestId('demo-banner')).toBeVisible()
  await cardsSettled(page)
  await expect(page.getByTestId('copilot-headline')).toHaveText('231 / 300')
})

test('phone width: one column and no horizontal scroll', async ({ page, startApi }) => {
  await page.setViewportSize({ width: 375, height: 800 })
  await page.goto(await startApi())
  await cardsSettled(page)
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
  expect(widths.scroll).toBeLessThanOrEqual(widths.client)
  const boxes = await Promise.all(['openrouter', 'copilot', 'codex'].map((id) => card(page, id).boundingBox()))
  expect(boxes[0].x).toBe(boxes[1].x)
  expect(boxes[1].y).toBeGreaterThan(boxes[0].y)
})

test('wide screen: three columns side by side', async ({ page, startApi }) => {
  await page.setViewportSize({ width: 1400, height: 900 })
  await page.goto(await startApi())
  await cardsSettled(page)
  const boxes = await Promise.all(['openrouter', 'copilot', 'codex'].map((id) => card(page, id).boundingBox()))
  expect(boxes[0].y).toBe(boxes[1].y)
  expect(boxes[2].x).toBeGreaterThan(boxes[1].x)
})

test('the Vite dev page reads the API across origins (CORS)', async ({ page, startApi }) => {
  await startApi({ port: DEV_API_PORT, env: { CORS_ORIGINS: `http://127.0.0.1:${DEV_WEB_PORT}` } })
  await page.goto(`http://127.0.0.1:${DEV_WEB_PORT}`)
  await cardsSettled(page)
  await expect(page.getByTestId('openrouter-headline')).toHaveText('$31.27')
  await expect(page.getByTestId('copilot-headline')).toHaveText('149 / 300')
})
