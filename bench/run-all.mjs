// `make bench`: build the page, then run every benchmark; figures land in bench/results/*.json.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const PYTHON = join(ROOT, '.venv', 'bin', 'python')
const steps = [
  ['build the page and its server-side render', process.execPath, ['scripts/build.mjs', '--logLevel', 'warn']],
  ['machine speed, before (a reference: no target)', process.execPath, ['bench/machine_speed.mjs', 'before']],
  ['1-2. cold page loads: 0 ms upstreams, slow upstreams in one process and from vite preview', process.execPath, ['bench/page_load.mjs']],
  ['3-5. history at five years: page load size, route time, pace per miss, thinning, file size', PYTHON, ['bench/history_bench.py']],
  ['6. cached route vs a separate bare Flask app on waitress; single flight', PYTHON, ['bench/cache_bench.py']],
  ['7. start-up and the statusline from a running API', PYTHON, ['bench/startup_bench.py']],
  ['JavaScript budget', process.execPath, ['scripts/check-bundle.mjs']],
  ['load and faults (RSS after load)', PYTHON, ['bench/load_test.py']],
  ['machine speed, after', process.execPath, ['bench/machine_speed.mjs', 'after']],
]
let failed = 0
for (const [title, command, args] of steps) {
  console.log(`\n== ${title}`)
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0) failed += 1
}
console.log(failed ? `\n✗ ${failed} benchmark(s) missed their target` : '\n✓ every benchmark met its target')
process.exit(failed ? 1 : 0)
