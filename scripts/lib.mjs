// Shared by dev.mjs and test.mjs: keep .venv and node_modules in step, run commands, find tools.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const WINDOWS = process.platform === 'win32'

export const venvPython = join(ROOT, '.venv', WINDOWS ? 'Scripts' : 'bin', WINDOWS ? 'python.exe' : 'python')
export const nodeBin = (name) => join(ROOT, 'node_modules', '.bin', WINDOWS ? `${name}.cmd` : name)

function hashOf(file) {
  return createHash('sha256').update(readFileSync(join(ROOT, file))).digest('hex')
}

/** Run a command in the foreground; exit the whole script if it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', shell: WINDOWS, ...options })
  if (result.status !== 0) {
    console.error(`\n✗ ${[command, ...args].join(' ')} failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status || 1)
  }
}

function findPython() {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    const probe = spawnSync(candidate, ['-c', 'import sys; assert sys.version_info >= (3, 11)'], { stdio: 'ignore', shell: WINDOWS })
    if (probe.status === 0) return candidate
  }
  console.error('✗ Python 3.11 or newer is needed (python3 on PATH, or set PYTHON).')
  process.exit(1)
}

/** Create .venv and install requirements.txt, and run npm ci, only when they are out of date. */
export function setup() {
  if (!existsSync(venvPython)) {
    console.log('setup: creating .venv')
    run(findPython(), ['-m', 'venv', '.venv'])
  }
  const stamp = join(ROOT, '.venv', '.requirements.sha')
  const wanted = hashOf('requirements.txt') + hashOf('pyproject.toml')
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    console.log('setup: installing Python packages')
    run(venvPython, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', 'requirements.txt'])
    writeFileSync(stamp, wanted)
  }
  const lockStamp = join(ROOT, 'node_modules', '.lock.sha')
  const wantedLock = hashOf('package-lock.json')
  if (!existsSync(lockStamp) || readFileSync(lockStamp, 'utf8') !== wantedLock) {
    console.log('setup: npm ci')
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'])
    writeFileSync(lockStamp, wantedLock)
  }
}

/** Start a long-running process whose output lines carry a colored prefix. */
export function startPrefixed(name, color, command, args, options = {}) {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], shell: WINDOWS, ...options })
  const prefix = `\x1b[${color}m[${name}]\x1b[0m `
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = ''
    stream.on('data', (chunk) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop()
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`)
    })
  }
  return child
}

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Resolve once `url` answers 2xx; fail after `timeoutMs`, or at once if `child` exits. */
export async function waitForUrl(url, { child, timeoutMs = 20000 } = {}) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${url} answered`)
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}
