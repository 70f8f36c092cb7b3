import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { withRefresh } from '../api/endpoints.js'
import { fetchJson } from '../api/fetchJson.js'

/**
 * The one fetch-state hook: {data, error, loading, loadedAt, reload}.
 * Aborts on unmount, ignores answers to superseded requests, and keeps the last data while reloading.
 */
export function useApiResource(url, { fetcher } = {}) {
  const [state, setState] = useState({ data: null, error: null, loading: true, loadedAt: null })
  const latest = useRef(0)
  const controller = useRef(null)

  const load = useCallback(
    ({ refresh = false } = {}) => {
      const id = ++latest.current
      controller.current?.abort()
      const current = new AbortController()
      controller.current = current
      setState((previous) => (previous.loading ? previous : { ...previous, loading: true }))
      return fetchJson(refresh ? withRefresh(url) : url, { signal: current.signal, fetcher })
        .then((data) => {
          if (id === latest.current) setState({ data, error: null, loading: false, loadedAt: Date.now() })
        })
        .catch((error) => {
          if (current.signal.aborted || id !== latest.current) return
          setState((previous) => ({ ...previous, error, loading: false, loadedAt: Date.now() }))
        })
    },
    [url, fetcher],
  )

  useEffect(() => {
    // Fetching is syncing with an external system; on mount the state is already `loading`.
    // oxlint-disable-next-line react/set-state-in-effect
    load()
    return () => {
      latest.current += 1
      controller.current?.abort()
    }
  }, [load])

  // A stable object while nothing changes, so cards that receive it can skip re-rendering.
  return useMemo(() => ({ ...state, reload: load }), [state, load])
}
