import { defineConfig } from '@playwright/test'

// Debian's Chromium (apt-get install chromium); elsewhere set CHROMIUM_PATH to a Chrome/Chromium binary.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const DEV_API_PORT = 4199
export const DEV_WEB_PORT = 5174

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 8_000 },
  reporter: process.env.CI ? 'list' : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'retain-on-failure',
  },
  // The Vite dev server, pointed at an API on DEV_API_PORT, for the cross-origin (CORS) path.
  webServer: {
    command: `npx vite --port ${DEV_WEB_PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${DEV_WEB_PORT}`,
    env: { VITE_API_BASE_URL: `http://127.0.0.1:${DEV_API_PORT}` },
    reuseExistingServer: false,
    timeout: 60_000,
  },
})
