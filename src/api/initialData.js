// The one-process server puts the answers it already has into the page (a JSON script, never run), with the time it
// had them: seeding them into the query cache lets the first render show numbers instead of skeletons.
import { API_BASE } from './endpoints.js'

/**
 * {answers, now, locale}: the answers inside the page ({} if none), the server's time in ms (null if none) and the
 * language the page is written in (the one the browser asked for; undefined: the browser's own).
 */
export function readInitialData(doc = globalThis.document) {
  const node = doc?.getElementById('initial-data')
  const locale = node?.dataset.locale || undefined
  try {
    return { answers: (node && JSON.parse(node.textContent)) ?? {}, now: Number(node?.dataset.now) || null, locale }
  } catch {
    return { answers: {}, now: null, locale }
  }
}

/** Put answers ({path: body}) into the query cache as loaded at `updatedAt` (ms; now if missing); returns how many. */
export function seedAnswers(client, answers, updatedAt) {
  const entries = Object.entries(answers ?? {})
  for (const [path, body] of entries) client.setQueryData(['api', `${API_BASE}${path}`], body, { updatedAt: updatedAt ?? undefined })
  return entries.length
}
