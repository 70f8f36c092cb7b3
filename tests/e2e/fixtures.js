// Fixtures: a fake upstream (one per worker) and real API processes (one or more per test).
import { test as base, expect } from '@playwright/test'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, freePort, venvPython as PYTHON, waitForUrl } from '../../scripts/lib.mjs'

export { PYTHON }

function startProcess(args, env) {
  const output = []
  const child = spawn(PYTHON, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.on('data', (d) => output.push(String(d)))
  child.stderr.on('data', (d) => output.push(String(d)))
  return { child, output }
}

/** Wait for a started process to answer, with its output in the error if it never does. */
async function answered(url, { child, output }) {
  await waitForUrl(url, { child }).catch((error) => {
    throw new Error(`${error.message}\n${output.join('')}`)
  })
}

export const test = base.extend({
  upstream: [
    // oxlint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const port = await freePort()
      const started = startProcess(['tests/fake_upstream.py', '--port', String(port)], {})
      const url = `http://127.0.0.1:${port}`
      await answered(`${url}/_stats`, started)
      const control = async (path) => {
        const response = await fetch(`${url}${path}`)
        if (!response.ok) throw new Error(`fake upstream: ${path} -> ${response.status}`)
        return response.json()
      }
      await use({
        url,
        set: (provider, query) => control(`/_control/${provider}?${new URLSearchParams(query)}`),
        reset: () => control('/_control/reset'),
        stats: () => control('/_stats'),
        setPayload: async (name, body) => {
          await fetch(`${url}/_control/payload/${name}`, { method: 'POST', body: JSON.stringify(body) })
        },
      })
      started.child.kill()
    },
    { scope: 'worker' },
  ],

  /** startApi({demo, port, env}) -> base URL of a fresh API (own cache) serving the built page too. */
  startApi: async ({ upstream }, use) => {
    await upstream.reset()
    const started = []
    await use(async ({ demo = false, port, env = {} } = {}) => {
      const apiPort = port ?? (await freePort())
      const home = mkdtempSync(join(tmpdir(), 'dash-e2e-'))
      writeFileSync(join(home, 'dashboard.properties'), 'GITHUB_USERNAME = octocat\n')
      const api = startProcess(['run_api.py', ...(demo ? ['--demo'] : [])], {
        API_PORT: String(apiPort),
        HOME: home,
        CODEX_HOME: join(home, 'codex'),
        DASHBOARD_CONFIG: join(home, 'dashboard.properties'),
        OPENROUTER_API_KEY: 'sk-or-e2e-test-key',
        GITHUB_PAT: 'github_pat_e2e_test',
        CHATGPT_ACCESS_TOKEN: 'chatgpt-e2e-token',
        CHATGPT_ACCOUNT_ID: 'acct-e2e',
        OPENROUTER_API_BASE: `${upstream.url}/openrouter/api/v1`,
        GITHUB_API_BASE: `${upstream.url}/github`,
        CHATGPT_API_BASE: `${upstream.url}/chatgpt/backend-api`,
        UPSTREAM_READ_TIMEOUT_SECONDS: '1.5',
        DASHBOARD_DEMO: '',
        ...env,
      })
      started.push(api.child)
      const url = `http://localhost:${apiPort}`
      await answered(`${url}/api/health`, api)
      return url
    })
    for (const child of started) child.kill()
  },
})

export { expect }

/** Wait until every card has left its loading state. */
export async function cardsSettled(page) {
  await expect(page.locator('section[data-testid^="card-"][data-state="loading"]')).toHaveCount(0)
}
