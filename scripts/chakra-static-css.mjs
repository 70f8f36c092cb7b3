// Build-time Chakra work (vite.config.js): the page's reset, global and token CSS become one hashed stylesheet,
// written here in Node instead of computed and inserted by every browser at start-up (src/theme.js skips it then).
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import createCache from '@emotion/cache'
import { serializeStyles } from '@emotion/serialize'

// Chakra computes this CSS eagerly inside createSystem; in the page it is only ever read through `_global`, which the
// prebuilt stylesheet replaces. Chakra is pinned (package.json), so the exact text is known; a new version that
// changes it fails the build here rather than silently computing the CSS twice.
const EAGER = 'const _global = [getPreflightCss(), getGlobalCss(), getTokenCss()];'
const EXPORTED = '    _global,\n'
const LAZY = '    get _global() {\n      return lazyGlobal ??= [getPreflightCss(), getGlobalCss(), getTokenCss()];\n    },\n'
export const PREBUILT_ATTRIBUTE = 'data-chakra-prebuilt'

/** The rules Emotion's <Global> inserts for the system's layer order and `_global` styles, in order, through Emotion itself. */
export function systemCss(system) {
  const cache = createCache({ key: 'prebuilt' })
  const rules = []
  const sheet = { insert: (rule) => rules.push(rule) } // where Emotion's browser build puts each rule
  for (const styles of [system.layers.atRule, ...system._global]) {
    const text = cache.insert('', serializeStyles([styles], cache.registered), sheet, false)
    if (typeof text === 'string') rules.push(text) // Emotion's Node build returns the rules instead
  }
  return rules
}

/** Rewrite Chakra's createSystem so the global CSS is computed only when something asks for it. */
export function lazyGlobalCss(code) {
  if (!code.includes(EAGER) || !code.includes(EXPORTED)) {
    throw new Error('scripts/chakra-static-css.mjs: Chakra\'s createSystem changed; update the lazy `_global` rewrite for this version')
  }
  return code.replace(EAGER, 'let lazyGlobal;').replace(EXPORTED, LAZY)
}

/** The Vite plugin: emit the stylesheet, link it first in the page, and make the runtime copy lazy. themeModule: from the root. */
export function chakraStaticCss({ themeModule }) {
  let root = process.cwd()
  let fileName = ''
  return {
    name: 'chakra-static-css',
    apply: 'build',
    configResolved(config) {
      root = config.root
    },
    async buildStart() {
      const { system } = await import(pathToFileURL(resolve(root, themeModule)).href)
      const css = systemCss(system).join('\n')
      fileName = `assets/chakra-${createHash('sha256').update(css).digest('hex').slice(0, 10)}.css`
      this.emitFile({ type: 'asset', fileName, source: css })
    },
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/@chakra-ui/react/dist/esm/styled-system/system.js')) return null
      return { code: lazyGlobalCss(code), map: null }
    },
    transformIndexHtml() {
      return [{ tag: 'link', attrs: { rel: 'stylesheet', href: `/${fileName}`, [PREBUILT_ATTRIBUTE]: '' }, injectTo: 'head' }]
    },
  }
}
