// `make dev` (or `node scripts/dev.mjs`): set up, then run the API on :4000 and Vite on :5173 together.
import net from 'node:net'
import { nodeBin, setup, startPrefixed, venvPython } from './lib.mjs'

const API_PORT = Number(process.env.API_PORT || 4000)
const WEB_PORT = Number(process.env.WEB_PORT || 5173)

/** True when something already listens on the port (we try to listen there ourselves, then let go). */
function portInUse(port) {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', (error) => resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES'))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)))
  })
}

// Ports first: a busy port is said at once, before any install step.
for (const [port, what, variable] of [[API_PORT, 'the API', 'API_PORT'], [WEB_PORT, 'the page (Vite)', 'WEB_PORT']]) {
  if (await portInUse(port)) {
    console.error(`✗ Port ${port}, needed by ${what}, is already in use.\n` +
      `  Find what uses it: lsof -i :${port}   (Windows: netstat -ano | findstr :${port})\n` +
      `  Stop it, or run on another port: ${variable}=<port> make dev`)
    process.exit(1)
  }
}
setup()

const children = [
  startPrefixed('api', '36', venvPython, ['-u', 'run_api.py', '--auto-demo'], {
    env: { ...process.env, API_PORT: String(API_PORT), CORS_ORIGINS: [process.env.CORS_ORIGINS, `http://localhost:${WEB_PORT}`, `http://127.0.0.1:${WEB_PORT}`].filter(Boolean).join(',') },
  }),
  startPrefixed('web', '35', nodeBin('vite'), ['--port', String(WEB_PORT), '--strictPort'], {
    env: { ...process.env, VITE_API_BASE_URL: process.env.VITE_API_BASE_URL ?? `http://localhost:${API_PORT}` },
  }),
]
console.log(`\n  Dashboard: http://localhost:${WEB_PORT}   (API: http://localhost:${API_PORT})   Ctrl-C stops both.\n`)

let stopping = false
function stop(code = 0) {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  // Give them a moment to free their ports, then make sure.
  setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
    process.exit(code)
  }, 1500).unref()
  Promise.all(children.map((child) => child.exitCode !== null || new Promise((r) => child.once('exit', r)))).then(() => process.exit(code))
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))
for (const child of children) {
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`\n✗ ${child === children[0] ? 'The API' : 'Vite'} stopped (exit ${code}); stopping the other.`)
      stop(code || 1)
    }
  })
}
