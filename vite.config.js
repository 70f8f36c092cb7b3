import react from '@vitejs/plugin-react'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { defineConfig, loadEnv } from 'vite'
import { COMPILE_HINT } from './scripts/check-bundle.mjs'
import { chakraStaticCss } from './scripts/chakra-static-css.mjs'
import { ACCOUNTS_PATH, apiBaseUrl } from './src/api/endpoints.js'

/** Ask for the account list from the HTML itself, before any JavaScript has loaded; the API starts every read then. */
function preloadApi(base) {
  return {
    name: 'preload-api',
    transformIndexHtml() {
      return [{
        tag: 'link',
        attrs: { rel: 'preload', as: 'fetch', href: `${base}${ACCOUNTS_PATH}`, crossorigin: 'anonymous' },
        injectTo: 'head-prepend',
      }]
    },
  }
}

/** Load the entry script async: it runs while the server still streams the end of the page (src/main.jsx waits for it). */
function asyncEntry() {
  return {
    name: 'async-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const entry = /<script type="module" crossorigin src="/
        if (!entry.test(html)) throw new Error('vite.config.js: no entry script found in index.html to load async')
        return html.replace(entry, '<script type="module" async crossorigin src="')
      },
    },
  }
}

/**
 * Ask V8 to compile the entry chunk's functions eagerly, on a background thread while the script streams in
 * (explicit compile hints), instead of lazily on the main thread the first time each runs: nearly all of them
 * run before the first cards are on screen.
 */
function compileHints() {
  return {
    name: 'compile-hints',
    apply: 'build',
    // After minification (which drops comments), before the assets are written and precompressed.
    generateBundle(options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && chunk.isEntry) chunk.code = `${COMPILE_HINT}\n${chunk.code}`
      }
    },
  }
}

/** Precompress the hashed assets (brotli and gzip) at build, so the one-process server never compresses. */
function precompress() {
  return {
    name: 'precompress',
    apply: 'build',
    writeBundle(options) {
      const assets = join(options.dir, 'assets')
      for (const name of readdirSync(assets).filter((f) => /\.(js|css|svg)$/.test(f))) {
        const data = readFileSync(join(assets, name))
        writeFileSync(join(assets, `${name}.gz`), gzipSync(data, { level: 9 }))
        writeFileSync(join(assets, `${name}.br`), brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
      }
    },
  }
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_')
  return {
    plugins: [
      react(), preloadApi(apiBaseUrl(env.VITE_API_BASE_URL)), chakraStaticCss({ themeModule: './src/theme.js' }),
      asyncEntry(), compileHints(), precompress(),
    ],
    server: { host: '127.0.0.1', port: 5173, strictPort: true },
    preview: { host: '127.0.0.1', port: 5173, strictPort: true },
    build: { target: 'es2022', reportCompressedSize: false },
    test: {
      environment: 'jsdom',
      setupFiles: ['tests/js/setup.js'],
      include: ['tests/js/**/*.test.{js,jsx}'],
    },
  }
})
