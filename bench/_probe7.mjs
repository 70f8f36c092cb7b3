import { launchBrowser, startApi, startUpstream } from './lib.mjs'
const upstream = await startUpstream()
const browser = await launchBrowser()
for (let run = 0; run < 4; run++) {
  const api = await startApi(upstream.url)
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(api.url)
  await page.waitForTimeout(1500)
  console.log(await page.evaluate(() => JSON.stringify({ script: Math.round(performance.getEntriesByType('resource').find((e) => e.name.includes('/assets/index')).responseEnd), ...Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])) })))
  await context.close(); api.child.kill()
}
await browser.close(); upstream.child.kill()
