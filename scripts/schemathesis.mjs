// Runs schemathesis against the OpenAPI file of a demo API (history in a throwaway file).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, freePort, venvPython, waitForUrl } from './lib.mjs'

const port = await freePort()
const home = mkdtempSync(join(tmpdir(), 'dash-schemathesis-'))
const api = spawn(venvPython, ['run_api.py', '--demo'], {
  cwd: ROOT,
  stdio: 'ignore',
  env: { ...process.env, API_PORT: String(port), HOME: home, SAMPLE_INTERVAL_SECONDS: '0', DASHBOARD_DB: join(home, 'h.sqlite3') },
})
const base = `http://localhost:${port}`
await waitForUrl(`${base}/api/health`, { child: api })
const schemathesis = join(ROOT, '.venv', process.platform === 'win32' ? 'Scripts' : 'bin', 'schemathesis')
const result = spawnSync(schemathesis, ['run', `${base}/api/openapi.json`, '--checks', 'all', '--max-examples', '50', '--seed', process.env.SCHEMATHESIS_SEED || '1'], {
  cwd: home,
  stdio: 'inherit',
})
// "Server stopped responding" has two causes: say which (a crash, or a signal from outside such as a stray pkill).
await new Promise((resolve) => setTimeout(resolve, 200)) // (the loop was blocked: let it see an exit that happened)
if (api.exitCode !== null || api.signalCode !== null) {
  console.error(`✗ the API itself stopped during the run (${api.signalCode ? `signal ${api.signalCode}` : `exit code ${api.exitCode}`})`)
}
api.kill()
process.exit(result.status ?? 1)
