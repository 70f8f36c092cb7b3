import { ChakraProvider } from '@chakra-ui/react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { seedInitialData } from './api/initialData.js'
import App from './App.jsx'
import ColorModeProvider from './components/ColorModeProvider.jsx'
import { system, withPrebuiltCss } from './theme.js'
import { prepareFormatters } from './utils/format.js'

// The API caches upstream answers itself; the page refetches on its own schedule, never on focus.
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 } },
})

// The one-process server streams the page: the answers it has come at the end of the document, while this script
// (loaded async) already runs. Everything above ran meanwhile; render once the whole document is parsed, so the
// first render has the numbers and no skeleton render happens.
function render() {
  seedInitialData(queryClient)
  createRoot(document.getElementById('root')).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ChakraProvider value={withPrebuiltCss(system)}>
          <ColorModeProvider>
            <App />
          </ColorModeProvider>
        </ChakraProvider>
      </QueryClientProvider>
    </StrictMode>,
  )
}

if (document.readyState === 'loading') {
  prepareFormatters() // idle time until the document ends: spend it on what the first render needs anyway
  document.addEventListener('DOMContentLoaded', render, { once: true })
} else {
  render()
  // Cards whose numbers are still on their way: build the formatters while waiting, not when the numbers land.
  const whenIdle = globalThis.requestIdleCallback ?? setTimeout
  whenIdle(() => prepareFormatters())
}
