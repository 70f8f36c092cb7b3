// The server-rendering worker: one JSON request per line on stdin ({id, answers, now, locale}), one JSON reply per
// line on stdout ({id, html, css, ids} or {id, error}). Started and fed by backend/page_render.py.
import { createInterface } from 'node:readline'
import { renderPage } from './renderPage.jsx'

// stdout carries the replies and nothing else: anything logged goes to stderr.
console.log = console.info = console.debug = console.error

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue
  let reply
  let id = null
  try {
    const request = JSON.parse(line)
    id = request.id
    reply = { id, ...renderPage(request) }
  } catch (error) {
    reply = { id, error: String(error?.stack ?? error).split('\n').slice(0, 3).join(' | ') }
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`)
}
