// `make test` (or `node scripts/test.mjs`): set up, then lint, unit tests, build, budget and browser tests.
import { existsSync } from 'node:fs'
import { nodeBin, run, setup, venvPython } from './lib.mjs'

const step = (title) => console.log(`\n\x1b[1m== ${title}\x1b[0m`)

setup()
step('ruff (Python lint)')
run(venvPython, ['-m', 'ruff', 'check', '.'])
step('oxlint (JavaScript lint)')
run(nodeBin('oxlint'), ['--deny-warnings', '.'])
step('pytest')
run(venvPython, ['-m', 'pytest'])
step('schemathesis (the OpenAPI file against the running API)')
run(process.execPath, ['scripts/schemathesis.mjs'])
step('vitest')
run(nodeBin('vitest'), ['run'])
step('build and JavaScript budget')
run(process.execPath, ['scripts/build.mjs', '--logLevel', 'warn'])
run(process.execPath, ['scripts/check-bundle.mjs'])
step('Playwright (real browser against the real API and a fake upstream)')
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
if (!existsSync(chromium)) {
  console.error(`✗ No browser at ${chromium}. Install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH.`)
  process.exit(1)
}
run(nodeBin('playwright'), ['test'])
console.log('\n✓ all checks passed')
