import react from '@vitejs/plugin-react'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { defineConfig, loadEnv } from 'vite'
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

const PRELOADED = /<link rel="preload" as="fetch" href="(https?:\/\/[^"]+)"/

/**
 * A page served by Vite (dev or preview) on another origin than the API: its first request asks the API for the account
 * list at once, as the page's preload does a moment later, so the API starts every read before the browser has even
 * read the page's head. Only the URL the page itself preloads, without anything of the browser's request.
 */
function startReadsEarly(base) {
  const ask = (url) => url && fetch(url, { signal: AbortSignal.timeout(10_000) }).then((r) => r.arrayBuffer()).catch(() => {})
  const onPage = (urlOf) => (server) => {
    server.middlewares.use((req, res, next) => {
      if (req.method === 'GET' && /^\/(index\.html)?(\?|$)/.test(req.url)) ask(urlOf(server))
      next()
    })
  }
  let built
  const preloaded = ({ config }) => {
    try {
      return readFileSync(resolve(config.root, config.build.outDir, 'index.html'), 'utf8').match(PRELOADED)?.[1] ?? ''
    } catch {
      return '' // not built: vite preview says so itself
    }
  }
  return {
    name: 'start-reads-early',
    configureServer: onPage(() => (/^https?:\/\//.test(base) ? `${base}${ACCOUNTS_PATH}` : null)),
    configurePreviewServer: onPage((server) => (built ??= preloaded(server))),
  }
}

const BOOT = '/src/boot.jsx'
const isBoot = (chunk) => chunk.facadeModuleId?.replaceAll('\\', '/').endsWith(BOOT)

/** The chunks the page needs at start: the entry, the page's code it imports (src/boot.jsx) and their imports. */
function initialChunks(bundle) {
  const chunks = Object.values(bundle).filter((c) => c.type === 'chunk')
  const start = chunks.filter((c) => c.isEntry || isBoot(c))
  const found = new Set()
  const visit = (chunk) => {
    if (!chunk || found.has(chunk)) return
    found.add(chunk)
    for (const name of chunk.imports) visit(bundle[name])
  }
  start.forEach(visit)
  return [...found]
}

/** Preload the page's code from the head: the entry imports it dynamically (src/main.jsx), after the first paint. */
function preloadBoot() {
  return {
    name: 'preload-boot',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle }) {
        const chunks = initialChunks(bundle).filter((c) => !c.isEntry)
        if (!chunks.some(isBoot)) {
          throw new Error(`vite.config.js: no chunk for ${BOOT} to preload`)
        }
        return chunks.map((c) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: '', href: `/${c.fileName}` }, injectTo: 'head' }))
      },
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

// The server-rendering worker (`vite build --ssr`): one self-contained file, dist-server/worker.mjs (beside dist/, so
// never served), run by Node next to the one-process server (backend/page_render.py); no node_modules at run time.
const SSR_BUILD = {
  plugins: [react()],
  publicDir: false,
  ssr: { noExternal: true },
  // React's production build, as in the browser: Node leaves NODE_ENV unset (the worker gets a minimal environment),
  // which would pick React's development build, several times slower, with its checks and owner stacks on every element.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    ssr: true, outDir: 'dist-server', target: 'node20', reportCompressedSize: false,
    rolldownOptions: { input: 'src/server/worker.js', output: { entryFileNames: 'worker.mjs', codeSplitting: false } },
  },
}

export default defineConfig(({ mode, isSsrBuild }) => {
  if (isSsrBuild) return SSR_BUILD
  const env = loadEnv(mode, process.cwd(), 'VITE_')
  return {
    plugins: [
      react(), preloadApi(apiBaseUrl(env.VITE_API_BASE_URL)), startReadsEarly(apiBaseUrl(env.VITE_API_BASE_URL)), chakraStaticCss({ themeModule: './src/theme.js' }),
      preloadBoot(), precompress(),
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
