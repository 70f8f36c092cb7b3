// `make bench`: build the page, then run every benchmark; figures land in bench/results/*.json.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const PYTHON = join(ROOT, '.venv', 'bin', 'python')
const steps = [
  ['build', 'node_modules/.bin/vite', ['build', '--logLevel', 'warn']],
  ['1. fan-out (browser, cold load)', process.execPath, ['bench/fanout.mjs']],
  ['2. cache vs bare route, single flight', PYTHON, ['bench/cache_bench.py']],
  ['3. JavaScript budget', process.execPath, ['scripts/check-bundle.mjs']],
  ['4. start-up time', PYTHON, ['bench/startup_bench.py']],
  ['4. load and faults (RSS after load)', PYTHON, ['bench/load_test.py']],
]
let failed = 0
for (const [title, command, args] of steps) {
  console.log(`\n== ${title}`)
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0) failed += 1
}
console.log(failed ? `\n✗ ${failed} benchmark(s) missed their target` : '\n✓ every benchmark met its target')
process.exit(failed ? 1 : 0)
