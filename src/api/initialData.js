// The one-process server puts the answers it already has into the page (a JSON script, never run):
// seeding them into the query cache lets the first render show numbers instead of skeletons.
import { API_BASE } from './endpoints.js'

export function seedInitialData(client, doc = globalThis.document) {
  const node = doc?.getElementById('initial-data')
  if (!node) return 0
  let answers
  try {
    answers = JSON.parse(node.textContent)
  } catch {
    return 0
  }
  const entries = Object.entries(answers ?? {})
  for (const [path, body] of entries) client.setQueryData(['api', `${API_BASE}${path}`], body)
  return entries.length
}
