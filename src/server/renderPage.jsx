// The page's first paint, rendered on the server (backend/page_render.py runs it in a Node worker): the same tree the
// browser renders, from the same answers and clock, so the browser adopts this HTML (hydration) instead of redrawing.
import createCache from '@emotion/cache'
import { QueryClient } from '@tanstack/react-query'
import { renderToString } from 'react-dom/server'
import { seedAnswers } from '../api/initialData.js'
import { startClockAt } from '../hooks/useNow.js'
import { QUERY_DEFAULTS } from '../api/queryClient.js'
import Root from '../Root.jsx'
import { prebuilt, system } from '../theme.js'
import { setDefaultLocale, setDefaultTimeZone } from '../utils/format.js'

const pageSystem = prebuilt(system) // the page links the global and token CSS as a stylesheet

/**
 * {html, css, ids}: the root's markup, and the CSS rules it needs with their Emotion ids (the browser's cache adopts
 * them). locale: the language the browser asked for (the page formats in it too); timeZone: the browser's (a cookie
 * its code sets: src/utils/timeZoneCookie.js), so times read as the browser writes them.
 */
export function renderPage({ answers, now, locale, timeZone }) {
  const queryClient = new QueryClient(QUERY_DEFAULTS)
  seedAnswers(queryClient, answers, now)
  const styleCache = createCache({ key: 'css' })
  styleCache.compat = true // collect the rules here instead of writing <style> tags between the elements
  setDefaultLocale(locale) // (a tag Intl does not know, from whatever sent the request, means the default)
  setDefaultTimeZone(timeZone)
  startClockAt(now)
  try {
    const html = renderToString(<Root queryClient={queryClient} system={pageSystem} styleCache={styleCache} />)
    const ids = Object.keys(styleCache.inserted).filter((id) => typeof styleCache.inserted[id] === 'string')
    return { html, css: ids.map((id) => styleCache.inserted[id]).join(''), ids }
  } finally {
    queryClient.clear()
  }
}
