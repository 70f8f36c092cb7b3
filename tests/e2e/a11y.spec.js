import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cardsSettled, expect, test } from './fixtures.js'

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

async function violations(page) {
  await page.evaluate(AXE) // evaluated by the browser's debugger: the page's CSP still holds for the page itself
  return page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
  })
}

for (const scheme of ['light', 'dark']) {
  test(`axe finds no violations (${scheme}), with a failing card and the alerts open`, async ({ page, startApi, upstream }) => {
    await upstream.set('github_copilot', { mode: '401' })
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto(await startApi())
    await cardsSettled(page)
    await page.getByRole('button', { name: /Alerts/ }).click()
    await page.waitForTimeout(300) // the lazy chart chunk and its first paint
    expect(await violations(page)).toEqual([])
  })
}

test('charts are never tab stops, and each card\'s range switch is a few Tabs away', async ({ page, startApi }) => {
  await page.goto(await startApi({ demo: true }))
  await cardsSettled(page)
  await expect(page.locator('figure[role="img"]').first()).toBeVisible()
  const stops = []
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab')
    stops.push(await page.evaluate(() => {
      const el = document.activeElement
      return { tag: el.tagName, text: el.textContent.trim().slice(0, 30), inChart: Boolean(el.closest('figure')) }
    }))
  }
  expect(stops.filter((s) => s.inChart)).toEqual([])
  const ranges = stops.map((s, i) => [s.text, i]).filter(([text]) => text === '24h').map(([, i]) => i)
  expect(ranges.length).toBeGreaterThanOrEqual(3)
  const gaps = ranges.slice(1).map((index, n) => index - ranges[n])
  expect(Math.max(...gaps)).toBeLessThanOrEqual(20)
})
