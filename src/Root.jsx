import { ChakraProvider } from '@chakra-ui/react'
import { CacheProvider } from '@emotion/react'
import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode, useEffect } from 'react'
import App from './App.jsx'
import ColorModeProvider from './components/ColorModeProvider.jsx'

/** The page with its providers: the same tree for the browser's render and the server's first paint. */
export default function Root({ queryClient, system, styleCache }) {
  // The page works from here on (adopted or rendered, its buttons answer): a mark for bench/page_load.mjs.
  useEffect(() => {
    performance.mark?.('page-ready')
  }, [])
  return (
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <CacheProvider value={styleCache}>
          <ChakraProvider value={system}>
            <ColorModeProvider>
              <App />
            </ColorModeProvider>
          </ChakraProvider>
        </CacheProvider>
      </QueryClientProvider>
    </StrictMode>
  )
}
