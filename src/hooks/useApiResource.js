import { useQueries, useQueryClient } from '@tanstack/react-query'
import { useCallback, useMemo, useSyncExternalStore } from 'react'
import { fetchJson } from '../api/fetchJson.js'

// While the browser adopts a page the server drew, an answer it has shows as the server drew it, not loading, even
// if it is stale by the browser's clock (a tab opened late) and its refetch starts: the truth follows right after.
const noStore = () => () => {}
const adopted = () => false
const adopting = () => true // the server's value, which the browser's first render of a server-drawn page uses too
const asDrawn = (resource) => (resource.loading && resource.data ? { ...resource, loading: false } : resource)

/**
 * The one fetch-state hook, for a list of URLs: [{data, error, loading, loadedAt, reload}] in order.
 * TanStack Query owns caching, aborts, refetching on an interval and pausing while the tab is hidden;
 * reload({refresh: true}) asks the API to skip its own cache. `urls` must be a stable array.
 */
export function useApiResources(urls, { fetcher, refetchInterval = false } = {}) {
  const client = useQueryClient()
  const reload = useCallback(
    (url, { refresh = false } = {}) =>
      client
        .fetchQuery({
          queryKey: ['api', url],
          queryFn: ({ signal }) => fetchJson(url, { signal, fetcher, refresh }),
          staleTime: 0,
        })
        .catch(() => {}), // the error lands in the query's state, where the card shows it
    [client, fetcher],
  )
  // One reload function per URL, kept across renders: TanStack Query then keeps (structural sharing) the resource
  // of every query that did not change, so a card whose sibling's answer lands skips re-rendering.
  const reloaders = useMemo(() => urls.map((url) => (options) => reload(url, options)), [reload, urls])
  const combine = useCallback(
    (results) =>
      results.map((query, index) => ({
        data: query.data ?? null,
        error: query.error ?? null,
        loading: query.isFetching,
        loadedAt: Math.max(query.dataUpdatedAt, query.errorUpdatedAt) || null,
        reload: reloaders[index],
      })),
    [reloaders],
  )
  const resources = useQueries({
    queries: urls.map((url) => ({
      queryKey: ['api', url],
      queryFn: ({ signal }) => fetchJson(url, { signal, fetcher }),
      refetchInterval,
    })),
    combine,
  })
  const drawing = useSyncExternalStore(noStore, adopted, adopting)
  return drawing ? resources.map(asDrawn) : resources
}

const IDLE = Object.freeze({ data: null, error: null, loading: false, loadedAt: null, reload: () => {} })

/** One URL's fetch state: {data, error, loading, loadedAt, reload}; with no URL (null), nothing is read. */
export function useApiResource(url, options) {
  const urls = useMemo(() => (url ? [url] : []), [url])
  return useApiResources(urls, options)[0] ?? IDLE
}
