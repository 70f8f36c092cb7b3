import { ChakraProvider } from '@chakra-ui/react'
import { render } from '@testing-library/react'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { PREBUILT_ATTRIBUTE, lazyGlobalCss, systemCss } from '../../scripts/chakra-static-css.mjs'
import { system, withPrebuiltCss } from '../../src/theme.js'

describe('prebuilt Chakra CSS', () => {
  it('is exactly what Chakra inserts at run time: layer order, reset, global styles and every token', () => {
    document.head.querySelectorAll('style[data-emotion]').forEach((node) => node.remove())
    render(<ChakraProvider value={system}><p>x</p></ChakraProvider>)
    // Outside production Emotion gives every rule a style tag of its own: the tags are its rules, in order.
    const inserted = [...document.head.querySelectorAll('style[data-emotion^="css-global"]')].map((node) => node.textContent)
    const prebuilt = systemCss(system)
    expect(prebuilt[0]).toBe('@layer reset,base,tokens,recipes;')
    expect(prebuilt.join('')).toContain('--chakra-colors-teal-500:')
    expect(prebuilt).toEqual(inserted)
  })

  it('replaces the runtime insertion only where the build linked it', () => {
    const plain = { _global: ['x'], _config: {} }
    expect(withPrebuiltCss(plain, document)).toBe(plain)
    expect(plain._global).toEqual(['x'])
    const link = document.createElement('link')
    link.setAttribute(PREBUILT_ATTRIBUTE, '')
    document.head.append(link)
    try {
      const sys = withPrebuiltCss({ get _global() { throw new Error('computed') }, _config: { cssVarsPrefix: 'chakra' } }, document)
      expect(sys._global).toEqual([])
      expect(sys._config).toEqual({ cssVarsPrefix: 'chakra', disableLayers: true })
    } finally {
      link.remove()
    }
  })

  it("makes the pinned Chakra's createSystem compute its global CSS only when asked, and refuses another version's", () => {
    const require = createRequire(import.meta.url)
    const source = readFileSync(require.resolve('@chakra-ui/react').replace(/dist\/.*$/, 'dist/esm/styled-system/system.js'), 'utf8')
    const lazy = lazyGlobalCss(source)
    expect(lazy).not.toContain('const _global = [')
    expect(lazy).toContain('get _global()')
    expect(() => lazyGlobalCss(source.replace('getTokenCss()];', 'getTokenCss(), extra()];'))).toThrow(/createSystem changed/)
  })
})
