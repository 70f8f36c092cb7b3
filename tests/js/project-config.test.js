// The VS Code and MCP files are only useful if they agree with each other and with the code.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path) => JSON.parse(readFileSync(path, 'utf8'))

describe('VS Code configuration', () => {
  const tasks = read('.vscode/tasks.json').tasks
  const launch = read('.vscode/launch.json')
  const labels = tasks.map((task) => task.label)

  it('has a folder-open task that starts the API under debugpy and Vite', () => {
    const dev = tasks.find((task) => task.runOptions?.runOn === 'folderOpen')
    expect(dev.dependsOn).toEqual(['api (debugpy)', 'web (vite)'])
    const api = tasks.find((task) => task.label === 'api (debugpy)')
    expect(api.command).toMatch(/run_api\.py --debug/)
    expect(api.isBackground).toBe(true)
    expect(api.problemMatcher.background.endsPattern).toBeTruthy()
  })

  it('F5 compound attaches to debugpy on 5678 and opens the page', () => {
    const compound = launch.compounds[0]
    expect(labels).toContain(compound.preLaunchTask)
    for (const name of compound.configurations) expect(launch.configurations.map((c) => c.name)).toContain(name)
    const attach = launch.configurations.find((c) => c.request === 'attach')
    expect(attach.type).toBe('debugpy')
    expect(attach.connect.port).toBe(5678)
    expect(launch.configurations.find((c) => c.type === 'chrome').url).toBe('http://localhost:5173')
  })

  it('every task dependency exists', () => {
    for (const task of tasks) for (const dep of [task.dependsOn ?? []].flat()) expect(labels).toContain(dep)
  })
})

describe('Playwright MCP configuration', () => {
  const { servers } = read('.vscode/mcp.json')
  const devDependencies = read('package.json').devDependencies

  it('runs the pinned @playwright/mcp in headless and CDP variants', () => {
    expect(devDependencies['@playwright/mcp']).toMatch(/^\d+\.\d+\.\d+$/)
    expect(servers.playwright.args).toEqual(expect.arrayContaining(['@playwright/mcp', '--headless', '--executable-path']))
    expect(servers['playwright-cdp'].args).toEqual(['@playwright/mcp', '--cdp-endpoint', 'http://127.0.0.1:9222'])
  })
})
