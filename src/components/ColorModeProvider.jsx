import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react'
import { ColorModeContext } from '../hooks/useColorMode.js'

const STORAGE_KEY = 'ai-usage-color-mode'
const DARK_QUERY = '(prefers-color-scheme: dark)'

function systemMode() {
  return window.matchMedia?.(DARK_QUERY).matches ? 'dark' : 'light'
}

function storedChoice() {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY)
    return value === 'light' || value === 'dark' ? value : null
  } catch {
    return null
  }
}

/** Light or dark: the system's setting until the user picks one, which is remembered. */
export default function ColorModeProvider({ children }) {
  const [choice, setChoice] = useState(storedChoice)
  const [system, setSystem] = useState(systemMode)
  const mode = choice ?? system

  useEffect(() => {
    const query = window.matchMedia?.(DARK_QUERY)
    if (!query) return undefined
    const onChange = () => setSystem(systemMode())
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [])

  // Before paint, so the first frame already has the right colors.
  useLayoutEffect(() => {
    const root = document.documentElement
    root.classList.toggle('dark', mode === 'dark')
    root.classList.toggle('light', mode !== 'dark')
    root.style.colorScheme = mode
  }, [mode])

  const setMode = useCallback((next) => {
    setChoice(next)
    try {
      window.localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // Private windows may refuse storage; the choice then lasts for this visit.
    }
  }, [])

  const value = useMemo(() => ({ mode, setMode }), [mode, setMode])
  return <ColorModeContext.Provider value={value}>{children}</ColorModeContext.Provider>
}
