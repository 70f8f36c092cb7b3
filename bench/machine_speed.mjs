// How fast this machine is today: the same fixed work in Python and in Node, timed (the best of five), so figures from
// rounds on different machines (or the same VM on a slower host) can be compared. No target: a reference for the rest.
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { venvPython } from '../scripts/lib.mjs'
import { save } from './lib.mjs'

const PYTHON_LOOP = 'import time\nbest = 1e9\nfor _ in range(5):\n    t = time.perf_counter(); s = 0\n    for i in range(2_000_000): s += i\n    best = min(best, time.perf_counter() - t)\nprint(round(best * 1000, 1))'

function nodeLoop() {
  let best = Infinity
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now()
    let text = ''
    for (let i = 0; i < 200_000; i += 1) text = `${i % 97}:${JSON.stringify({ i, s: 'x' })}`.slice(0, 8) + text.slice(0, 8)
    best = Math.min(best, performance.now() - started)
  }
  return Math.round(best * 10) / 10
}

const tag = process.argv[2] ?? 'now' // make bench measures before and after the rest: the speed drifts on a shared VM
const python = spawnSync(venvPython, ['-c', PYTHON_LOOP], { encoding: 'utf8' })
if (python.status !== 0) {
  console.error(`machine speed: the Python loop failed (${python.error?.message ?? python.stderr.trim()}); run make setup first`)
  process.exit(1)
}
const result = {
  python_loop_ms: Number(python.stdout.trim()), // 2 million additions in a Python loop
  node_loop_ms: nodeLoop(), // 200,000 small JSON strings built in Node
  load_average: loadavg().map((x) => Number(x.toFixed(2))),
}
save(`machine-${tag}`, result)
console.log(`machine speed (${tag}): Python loop ${result.python_loop_ms} ms, Node loop ${result.node_loop_ms} ms (load ${result.load_average.join(' ')})`)
