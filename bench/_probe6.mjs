import { launchBrowser, startApi, startUpstream } from './lib.mjs'
const upstream = await startUpstream()
for (const [p, d] of Object.entries({ openrouter: 300, github_copilot: 600, openai_codex: 900 })) await upstream.control(p, { delay_ms: d })
const browser = await launchBrowser()
for (let run = 0; run < 2; run++) {
const api = await startApi(upstream.url)
const context = await browser.newContext()
const page = await context.newPage()
await page.addInitScript(() => { window.cardTimes = {}; new MutationObserver(() => { for (const c of document.querySelectorAll('section[data-state="content"]')) window.cardTimes[c.dataset.testid] ??= performance.now() }).observe(document, { subtree: true, childList: true, attributes: true }) })
const cdp = await context.newCDPSession(page)
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); await cdp.send('Profiler.start')
const t0 = Date.now()
await page.goto(api.url)
await page.waitForTimeout(1800)
const { profile } = await cdp.send('Profiler.stop')
const nav = await page.evaluate(() => performance.timeOrigin)
console.log('cards', await page.evaluate(() => JSON.stringify(window.cardTimes)), 'res', await page.evaluate(() => performance.getEntriesByType('resource').filter(e=>e.name.includes('/api/')).map(e => Math.round(e.responseEnd)).join(',')))
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
// profile.startTime is in microseconds (monotonic); map to nav-relative using first sample ~ navigation
let t = profile.startTime
const offset = (nav * 1000) // not comparable; approximate by page clock instead
const buckets = {}
profile.samples.forEach((id, i) => { t += profile.timeDeltas[i]; const n = byId.get(id); const rel = Math.floor((t - profile.startTime) / 1000 / 100) * 100; const name = n.callFrame.functionName || '(anon)'; if (name === '(idle)') return; buckets[rel] = (buckets[rel] || 0) + profile.timeDeltas[i] / 1000 })
console.log(Object.entries(buckets).map(([k, v]) => `${k}:${Math.round(v)}`).join(' '))
await context.close(); api.child.kill()
}
await browser.close(); upstream.child.kill()
