import { describe, expect, it } from 'vitest'
import { developmentBuilds } from '../../scripts/check-bundle.mjs'

describe('the server-rendering worker check', () => {
  it('finds every development build a bundle names, whatever its extension, and nothing in a production bundle', () => {
    const bundle = [
      '//#region node_modules/react/cjs/react.production.js',
      '//#region node_modules/react-dom/cjs/react-dom-server.node.development.js',
      '//#region node_modules/@emotion/react/dist/emotion-react.development.esm.js',
      '//#region node_modules/@emotion/cache/dist/emotion-cache.development.cjs.js',
      '//#region node_modules/react-dom/cjs/react-dom-server.node.development.js',
    ].join('\n')
    expect(developmentBuilds(bundle)).toEqual([
      'node_modules/react-dom/cjs/react-dom-server.node.development.js',
      'node_modules/@emotion/react/dist/emotion-react.development.esm.js',
      'node_modules/@emotion/cache/dist/emotion-cache.development.cjs.js',
    ])
    expect(developmentBuilds('//#region node_modules/react/cjs/react.production.js\nconst a = 1')).toEqual([])
  })
})
