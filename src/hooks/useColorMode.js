import { createContext, useContext } from 'react'

export const ColorModeContext = createContext({ mode: 'light', setMode: () => {} })

/** {mode: 'light' | 'dark', setMode} from the nearest ColorModeProvider. */
export function useColorMode() {
  return useContext(ColorModeContext)
}
