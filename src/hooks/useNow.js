import { useEffect, useState } from 'react'

// A page rendered by the server starts from the server's clock, so the browser's first render matches that HTML.
let startAt = null

/** The time the next first render starts from (null: the browser's clock). */
export function startClockAt(ms) {
  startAt = ms
}

/** The current time in ms, refreshed every `intervalMs`, so countdowns stay live. */
export function useNow(intervalMs = 1000) {
  const [now, setNow] = useState(() => startAt ?? Date.now())
  useEffect(() => {
    // Only the first render adopts the server's clock; a page adopted well after it was sent catches up at once.
    const late = startAt !== null && Date.now() - startAt > 1000
    startAt = null
    const catchUp = late ? setTimeout(() => setNow(Date.now())) : null
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => {
      clearTimeout(catchUp)
      clearInterval(timer)
    }
  }, [intervalMs])
  return now
}
