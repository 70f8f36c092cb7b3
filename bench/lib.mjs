// Node side of the benchmarks: start the fake upstream and the API (real processes) and a browser.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT, freePort, venvPython as PYTHON, waitForUrl } from '../scripts/lib.mjs'

export { ROOT, freePort }

export async function startUpstream() {
  const port = await freePort()
  const child = spawn(PYTHON, ['tests/fake_upstream.py', '--port', String(port)], { cwd: ROOT, stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  await waitForUrl(`${url}/_stats`, { child })
  return { child, url, control: (provider, query) => fetch(`${url}/_control/${provider}?${new URLSearchParams(query)}`) }
}

export async function startApi(upstreamUrl, env = {}, port = null) {
  port ??= await freePort()
  const home = mkdtempSync(join(tmpdir(), 'dash-bench-'))
  writeFileSync(join(home, 'dashboard.properties'), 'GITHUB_USERNAME = octocat\n')
  const child = spawn(PYTHON, ['run_api.py'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      ...process.env, HOME: home, API_PORT: String(port), DASHBOARD_CONFIG: join(home, 'dashboard.properties'),
      OPENROUTER_API_KEY: 'sk-or-bench', GITHUB_PAT: 'github_pat_bench', CHATGPT_ACCESS_TOKEN: 'chatgpt-bench',
      OPENROUTER_API_BASE: `${upstreamUrl}/openrouter/api/v1`, GITHUB_API_BASE: `${upstreamUrl}/github`,
      CHATGPT_API_BASE: `${upstreamUrl}/chatgpt/backend-api`, SAMPLE_INTERVAL_SECONDS: '0', ...env,
    },
  })
  const url = `http://localhost:${port}`
  await waitForUrl(`${url}/api/health`, { child })
  return { child, url }
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function save(name, result) {
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
  writeFileSync(join(ROOT, 'bench', 'results', `${name}.json`), JSON.stringify(result, null, 2))
}
