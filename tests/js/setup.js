import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach, beforeEach, vi } from 'vitest'

afterEach(() => cleanup())

// Unit tests never reach a server: a fetch nobody mocked fails like a network error.
beforeEach(() => {
  globalThis.fetch = vi.fn(() => Promise.reject(new TypeError('fetch is not mocked in this test')))
})

// Tests of the server's render run in Node (@vitest-environment node): no document to fill in.
if (typeof window !== 'undefined') await import('./setupDom.js')

