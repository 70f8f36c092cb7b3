import createCache from '@emotion/cache'
import { QueryClient } from '@tanstack/react-query'
import { createRoot, hydrateRoot } from 'react-dom/client'
import { readInitialData, seedAnswers } from './api/initialData.js'
import { QUERY_DEFAULTS } from './api/queryClient.js'
import { startClockAt } from './hooks/useNow.js'
import Root from './Root.jsx'
import { system, withPrebuiltCss } from './theme.js'
import { prepareFormatters, setDefaultLocale } from './utils/format.js'
import { rememberTimeZone } from './utils/timeZoneCookie.js'

const queryClient = new QueryClient(QUERY_DEFAULTS)

// The page's code, loaded by src/main.jsx. The one-process server puts the answers it has (and, when it can, the cards
// already rendered) into the page: the first render has the numbers, so no skeleton render happens.
function render() {
  const { answers, now, locale } = readInitialData()
  setDefaultLocale(locale) // as the server wrote the page: the language the browser asked for
  seedAnswers(queryClient, answers, now)
  const container = document.getElementById('root')
  // Created now, after the document ends, so it adopts the server's style rules (<style data-emotion>).
  const page = <Root queryClient={queryClient} system={withPrebuiltCss(system)} styleCache={createCache({ key: 'css' })} />
  if (container.dataset.rendered === 'server' && now) {
    startClockAt(now) // the server's HTML says "updated 10:31:05", "resets in 2 h": adopt it as it is
    hydrateRoot(container, page, {
      // A mismatch is not fatal (React redraws that part), but it is a bug: keep a trace for the tests.
      onRecoverableError: (error) => (window.hydrationErrors ??= []).push(String(error?.message ?? error)),
    })
  } else {
    createRoot(container).render(page)
  }
}

render()
// Cards whose numbers are still on their way: build the formatters while waiting, not when the numbers land. Then keep
// the browser's time zone for the server's next drawing (Intl's first use, ~30 ms, is paid by then).
const whenIdle = globalThis.requestIdleCallback ?? setTimeout
whenIdle(() => {
  prepareFormatters()
  rememberTimeZone()
})
