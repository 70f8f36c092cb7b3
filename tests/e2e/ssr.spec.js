// The one-process server sends the cards already drawn (backend/page_render.py): they show before any of the page's
// scripts run, in the right colour mode, and the browser then adopts them as they are and makes them work.
import { expect, test } from './fixtures.js'

/** The API once its render worker has warmed up (run_api.py starts it right after listening) and it has read every
 * account once (a first read can take longer than the page waits for it; then that card would be drawn loading). */
async function renderingApi(startApi, request, options) {
  const url = await startApi(options)
  await expect.poll(async () => (await (await request.get(`${url}/api/health`)).json()).page_render.state, { timeout: 20_000 }).toBe('ready')
  const { accounts } = await (await request.get(`${url}/api/accounts`)).json()
  await Promise.all(accounts.map((account) => request.get(`${url}${account.route}`)))
  return url
}

/**
 * Open the page until the server drew it: a render may take longer than the page waits (0.3 s) on a busy machine,
 * and then the browser draws that page itself (a correct page, but not what these tests look at).
 */
async function openDrawn(page, url) {
  for (let attempt = 1; ; attempt += 1) {
    await page.goto(url)
    if (await page.evaluate(() => document.getElementById('root').dataset.rendered === 'server') || attempt === 5) return
  }
}

// Count card elements ever taken out of the page: adopting the server's HTML takes none out; redrawing would.
const WATCH_REMOVALS = () => {
  window.cardsRemoved = 0
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.removedNodes) {
        if (node.nodeType === 1 && (node.matches('section[data-testid^="card-"]') || node.querySelector('section[data-testid^="card-"]'))) window.cardsRemoved += 1
      }
    }
  }).observe(document, { subtree: true, childList: true })
}

test('the page arrives with every card drawn, and the browser adopts them without a redraw', async ({ page, request, startApi }) => {
  const url = await renderingApi(startApi, request)
  await expect.poll(async () => (await (await request.get(url)).text()).includes('<div id="root" data-rendered="server">')).toBe(true)
  const html = await (await request.get(url)).text()
  expect(html).toMatch(/data-testid="card-openrouter" data-state="content"[\s\S]*\$31\.27 left/)
  expect(html).toMatch(/<style data-emotion="css [\w -]+">/)

  const problems = []
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
  page.on('pageerror', (error) => problems.push(error.message))
  await page.addInitScript(WATCH_REMOVALS)
  await openDrawn(page, url)
  await expect(page.locator('#root')).toHaveAttribute('data-rendered', 'server')
  await expect(page.getByTestId('card-openai_codex').getByTestId('quota-primary')).toContainText('63 % left')
  // Adopted and working: the colour button answers, and the trend panels (rendered by the browser only) appear.
  await page.getByRole('button', { name: 'Switch to dark mode' }).click()
  await expect(page.locator('html')).toHaveClass(/\bdark\b/)
  await expect(page.getByTestId('card-openrouter').getByRole('button', { name: '7d' }).first()).toBeVisible()
  expect(await page.evaluate(() => ({ removed: window.cardsRemoved, errors: window.hydrationErrors ?? [] }))).toEqual({ removed: 0, errors: [] })
  expect(problems).toEqual([])
  // The page keeps the browser's time zone for the server's next drawing (set by its code when idle, not by the head).
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
  await expect.poll(async () => (await page.context().cookies()).find((c) => c.name === 'ai-usage-tz')?.value).toBe(zone)
})

test('before any script of the page runs, the cards show with their numbers in the colour mode of the system', async ({ browser, request, startApi }) => {
  const url = await renderingApi(startApi, request)
  for (const colorScheme of ['dark', 'light']) {
    const context = await browser.newContext({ colorScheme })
    const page = await context.newPage()
    await page.route(/\/assets\/.*\.js$/, (route) => route.abort()) // none of the page's code: only what the HTML holds
    await openDrawn(page, url)
    await expect(page.getByTestId('card-github_copilot').getByTestId('quota-monthly')).toContainText('1,400 credits left')
    await expect(page.getByTestId('status-openrouter')).toBeVisible()
    await expect(page.locator('html')).toHaveClass(new RegExp(`\\b${colorScheme}\\b`))
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    const [r, g, b] = background.match(/\d+/g).map(Number)
    expect(colorScheme === 'dark' ? r + g + b < 150 : r + g + b > 600).toBe(true)
    await context.close()
  }
})

test('a browser that asks for German first is sent German numbers, and keeps them when it adopts the page', async ({ browser, request, startApi }) => {
  const url = await renderingApi(startApi, request)
  // Its interface (navigator.language) is English: the page follows the language asked for, on both sides.
  const context = await browser.newContext({ locale: 'en-US' })
  const page = await context.newPage()
  await page.route(`${url}/`, (route) => route.continue({ headers: { ...route.request().headers(), 'accept-language': 'de-DE,de;q=0.9' } }))
  await page.addInitScript(WATCH_REMOVALS)
  await openDrawn(page, url)
  await expect(page.locator('#root')).toHaveAttribute('data-rendered', 'server')
  await expect(page.getByTestId('card-openrouter').getByTestId('quota-balance')).toContainText('31,27')
  await page.getByRole('button', { name: 'Switch to dark mode' }).click() // adopted: its buttons work
  await expect(page.locator('html')).toHaveClass(/\bdark\b/)
  await expect(page.getByTestId('card-openrouter').getByTestId('quota-balance')).toContainText('31,27')
  expect(await page.evaluate(() => ({ removed: window.cardsRemoved, errors: window.hydrationErrors ?? [] }))).toEqual({ removed: 0, errors: [] })
  await context.close()
})

test('with PAGE_SERVER_RENDER=off the browser draws the page itself, the same numbers', async ({ page, request, startApi }) => {
  const url = await startApi({ env: { PAGE_SERVER_RENDER: 'off' } })
  const html = await (await request.get(url)).text()
  expect(html).toContain('<div id="root"></div>')
  expect((await (await request.get(`${url}/api/health`)).json()).page_render).toEqual({ state: 'off', reason: 'PAGE_SERVER_RENDER is off', renders: 0, late: 0 })
  await page.goto(url)
  await expect(page.getByTestId('card-openrouter').getByTestId('quota-balance')).toContainText('$31.27 left')
})
