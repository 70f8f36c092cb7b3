// The Playwright MCP server as configured in .vscode/mcp.json can drive the dashboard.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { CHROMIUM_PATH } from '../../playwright.config.js'
import { cardsSettled, expect, test } from './fixtures.js'

function mcpClient(config) {
  const args = config.args.map((arg) => (arg === '/usr/bin/chromium' ? CHROMIUM_PATH : arg))
  const child = spawn(config.command, args, { stdio: ['pipe', 'pipe', 'ignore'] })
  const waiters = new Map()
  let buffer = ''
  let id = 0
  child.stdout.on('data', (chunk) => {
    buffer += chunk
    let end
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).trim()
      buffer = buffer.slice(end + 1)
      if (line) {
        const message = JSON.parse(line)
        waiters.get(message.id)?.(message)
      }
    }
  })
  const send = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`)
  const call = (method, params) => new Promise((resolve) => {
    id += 1
    waiters.set(id, resolve)
    send({ id, method, params })
  })
  return { child, send, call }
}

test('Playwright MCP (headless config) opens the dashboard and reads the cards', async ({ page, startApi }) => {
  test.setTimeout(60_000)
  const url = await startApi({ demo: true })
  await page.goto(url)
  await cardsSettled(page)
  const { servers } = JSON.parse(readFileSync('.vscode/mcp.json', 'utf8'))
  const mcp = mcpClient(servers.playwright)
  try {
    const init = await mcp.call('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } })
    expect(init.result.serverInfo.name).toBe('Playwright')
    mcp.send({ method: 'notifications/initialized' })
    const tools = (await mcp.call('tools/list', {})).result.tools.map((tool) => tool.name)
    expect(tools).toEqual(expect.arrayContaining(['browser_navigate', 'browser_snapshot', 'browser_take_screenshot']))
    await mcp.call('tools/call', { name: 'browser_navigate', arguments: { url } })
    const text = async () => JSON.stringify((await mcp.call('tools/call', { name: 'browser_snapshot', arguments: {} })).result)
    await expect.poll(text, { timeout: 15_000 }).toContain('231')
    expect(await text()).toContain('GitHub Copilot')
  } finally {
    mcp.child.kill()
  }
})
