import { useQueries, useQueryClient } from '@tanstack/react-query'
import { useCallback, useMemo } from 'react'
import { fetchJson } from '../api/fetchJson.js'

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
  return useQueries({
    queries: urls.map((url) => ({
      queryKey: ['api', url],
      queryFn: ({ signal }) => fetchJson(url, { signal, fetcher }),
      refetchInterval,
    })),
    combine,
  })
}

/** One URL's fetch state: {data, error, loading, loadedAt, reload}. */
export function useApiResource(url, options) {
  const urls = useMemo(() => [url], [url])
  return useApiResources(urls, options)[0]
}
