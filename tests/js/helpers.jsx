import { ChakraProvider } from '@chakra-ui/react'
import { render } from '@testing-library/react'
import codex from '../fixtures/api/codex.json'
import copilot from '../fixtures/api/copilot.json'
import openrouter from '../fixtures/api/openrouter.json'
import { system } from '../../src/theme.js'

export const fixtures = { openrouter, copilot, codex }

/** A fresh, editable copy of an API response fixture. */
export function fixture(name, changes = {}) {
  return { ...structuredClone(fixtures[name]), ...changes }
}

export function renderUi(ui) {
  return render(<ChakraProvider value={system}>{ui}</ChakraProvider>)
}

export function jsonResponse(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

/** A resource as useApiResource returns it, for rendering cards directly. */
export function resource(overrides = {}) {
  return { data: null, error: null, loading: false, loadedAt: null, reload: () => {}, ...overrides }
}
