// Fails when the built page's JavaScript is over budget (gzip): the initial load and everything; and when the
// server-rendering worker carries a development build of a library (React's is several times slower to render).
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from './lib.mjs'

export const BUDGET = { initialKb: 150, totalKb: 300 }
const DIST = join(ROOT, 'dist')
const WORKER = join(ROOT, 'dist-server', 'worker.mjs')

const gzipKb = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length / 1024

/** The entry script and its modulepreloads: what loads before the first card paints. */
export function initialScripts(html) {
  const entry = [...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g)].map((m) => m[1])
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => m[1])
  return [...new Set([...entry, ...preloads])]
}

export function measure() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  const initial = initialScripts(html)
  const all = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`)
  const initialKb = initial.reduce((sum, f) => sum + gzipKb(f), 0)
  const totalKb = all.reduce((sum, f) => sum + gzipKb(f), 0)
  return { initial, initialKb, totalKb, files: all.map((f) => [f, gzipKb(f)]) }
}

/** The development builds bundled into the server-rendering worker (their module paths, as the bundle names them). */
export function developmentBuilds(source) {
  return [...new Set(source.match(/node_modules\/[\w@./-]+\.development(\.[\w-]+)*\.[cm]?js/g) ?? [])]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const development = existsSync(WORKER) ? developmentBuilds(readFileSync(WORKER, 'utf8')) : []
  if (development.length) {
    console.error(`✗ dist-server/worker.mjs bundles development builds (${development.join(', ')}): the SSR build must define process.env.NODE_ENV as "production" (vite.config.js).`)
    process.exit(1)
  }
  const { initial, initialKb, totalKb, files } = measure()
  for (const [file, kb] of files) console.log(`${initial.includes(file) ? 'initial' : 'lazy   '}  ${kb.toFixed(1).padStart(6)} KB gz  ${file}`)
  console.log(`initial JS ${initialKb.toFixed(1)} KB gz (budget ${BUDGET.initialKb}); all JS ${totalKb.toFixed(1)} KB gz (budget ${BUDGET.totalKb})`)
  if (initialKb > BUDGET.initialKb || totalKb > BUDGET.totalKb) {
    console.error('✗ JavaScript over budget: see docs/performance.md for what loads when.')
    process.exit(1)
  }
}
