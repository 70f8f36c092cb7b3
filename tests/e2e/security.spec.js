import { chromium } from '@playwright/test'
import { CHROMIUM_PATH } from '../../playwright.config.js'
import { cardsSettled, expect, test } from './fixtures.js'

const TOKENS = ['sk-or-e2e-test-key', 'github_pat_e2e_test', 'chatgpt-e2e-token']

test('a page on another origin cannot read the API', async ({ page, startApi, upstream }) => {
  const api = await startApi()
  await page.goto(`${upstream.url}/_stats`) // any page that is not the dashboard's origin
  const outcome = await page.evaluate(async (url) => {
    try {
      const response = await fetch(url)
      return `read ${response.status}: ${(await response.text()).slice(0, 40)}`
    } catch (error) {
      return `blocked: ${error.name}`
    }
  }, `${api}/api/openrouter/balance`)
  expect(outcome).toBe('blocked: TypeError')
})

test('a DNS-rebinding host name is refused', async ({ startApi }) => {
  const api = new URL(await startApi())
  // The browser resolves evil.example to this machine, as a rebinding attack would make it.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', `--host-resolver-rules=MAP evil.example 127.0.0.1`],
  })
  try {
    const page = await browser.newPage()
    const response = await page.goto(`http://evil.example:${api.port}/api/openrouter/balance`)
    expect(response.status()).toBe(403)
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden_host' } })
    expect(await page.content()).not.toContain('31.27')
  } finally {
    await browser.close()
  }
})

test('no token reaches the browser: responses, page and storage', async ({ page, startApi, upstream }) => {
  await upstream.set('github_copilot', { mode: '401' }) // an error path too
  const bodies = []
  page.on('response', async (response) => {
    try {
      bodies.push(`${JSON.stringify(await response.allHeaders())}\n${await response.text()}`)
    } catch {
      // redirects and aborted requests have no body
    }
  })
  await page.goto(await startApi())
  await cardsSettled(page)
  await page.getByRole('button', { name: 'Refresh' }).click()
  await cardsSettled(page)
  const seen = [...bodies, await page.content(), await page.evaluate(() => JSON.stringify(localStorage))]
  expect(bodies.length).toBeGreaterThan(3)
  for (const token of TOKENS) for (const text of seen) expect(text).not.toContain(token)
})

test('the served page carries a restrictive Content-Security-Policy', async ({ page, startApi }) => {
  const errors = []
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
  const response = await page.goto(await startApi({ demo: true }))
  const headers = response.headers()
  expect(headers['content-security-policy']).toContain("script-src 'self'")
  expect(headers['x-content-type-options']).toBe('nosniff')
  await cardsSettled(page)
  expect(errors).toEqual([]) // nothing on the page breaks the policy
})

test('a cross-site page cannot cause a single extra upstream call', async ({ page, startApi, upstream }) => {
  const api = await startApi()
  await page.goto(api) // the dashboard itself reads everything once
  await cardsSettled(page)
  const before = (await upstream.stats()).calls
  await page.goto(`${upstream.url}/_stats`) // any page of another site
  const outcome = await page.evaluate(async (url) => {
    const images = Array.from({ length: 300 }, () => new Promise((resolve) => {
      const img = new Image()
      img.onload = img.onerror = resolve
      img.src = `${url}/api/openrouter/balance?refresh=1&n=${Math.random()}`
    }))
    await Promise.all(images)
    try {
      await fetch(`${url}/api/openrouter/balance?refresh=1`, { headers: { 'X-Dashboard-Refresh': '1' } })
      return 'fetched'
    } catch (error) {
      return `blocked: ${error.name}`
    }
  }, api)
  expect(outcome).toBe('blocked: TypeError') // the preflight for the dashboard's header is refused
  expect((await upstream.stats()).calls).toEqual(before)
})
