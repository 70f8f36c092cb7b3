import { useCallback, useLayoutEffect, useMemo, useSyncExternalStore } from 'react'
import { ColorModeContext } from '../hooks/useColorMode.js'

const STORAGE_KEY = 'ai-usage-color-mode'
const DARK_QUERY = '(prefers-color-scheme: dark)'
const listeners = new Set()
let visitChoice = null // private windows may refuse storage: the choice then lasts for this visit

function storedChoice() {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY)
    if (value === 'light' || value === 'dark') return value
  } catch {
    // refused: fall back to this visit's choice
  }
  return visitChoice
}

/** The user's choice, else the system's setting. */
function currentMode() {
  return storedChoice() ?? (window.matchMedia?.(DARK_QUERY).matches ? 'dark' : 'light')
}

function subscribe(onChange) {
  const query = window.matchMedia?.(DARK_QUERY)
  listeners.add(onChange)
  query?.addEventListener('change', onChange)
  return () => {
    listeners.delete(onChange)
    query?.removeEventListener('change', onChange)
  }
}

// The server cannot know the mode: its first paint, and the render that adopts it, say null (the page's head script
// has already set the class on <html>, so the colours are right); the real mode follows right after.
const serverMode = () => null

/** Light or dark: the system's setting until the user picks one, which is remembered. */
export default function ColorModeProvider({ children }) {
  const mode = useSyncExternalStore(subscribe, currentMode, serverMode)

  // Before paint, so the first frame already has the right colors.
  useLayoutEffect(() => {
    if (!mode) return
    const root = document.documentElement
    root.classList.toggle('dark', mode === 'dark')
    root.classList.toggle('light', mode !== 'dark')
    root.style.colorScheme = mode
  }, [mode])

  const setMode = useCallback((next) => {
    visitChoice = next
    try {
      window.localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // refused: visitChoice keeps it for this visit
    }
    for (const listener of listeners) listener()
  }, [])

  const value = useMemo(() => ({ mode, setMode }), [mode, setMode])
  return <ColorModeContext.Provider value={value}>{children}</ColorModeContext.Provider>
}
