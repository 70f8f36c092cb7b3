// Screenshot the dashboard in headless Chromium: node scripts/screenshot.mjs [url] [out.png] [width] [light|dark]
import { chromium } from 'playwright-core'

const [url = 'http://localhost:5173', out = 'screenshot.png', width = '1280', scheme = 'light'] = process.argv.slice(2)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme })
const problems = []
page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
page.on('pageerror', (error) => problems.push(error.message))
await page.goto(url)
await page.waitForFunction(() => document.querySelectorAll('section[data-testid^=card-][data-state="loading"]').length === 0, null, { timeout: 15000 })
await page.waitForLoadState('networkidle') // the charts' code and history arrive after the cards (~2 s from make dev)
await page.waitForTimeout(300)
await page.screenshot({ path: out, fullPage: true })
console.log(`saved ${out}${problems.length ? `\nconsole errors:\n${problems.join('\n')}` : ''}`)
await browser.close()
