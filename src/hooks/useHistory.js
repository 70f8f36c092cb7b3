import { useMemo } from 'react'
import { historyUrl } from '../api/endpoints.js'
import { useApiResource } from './useApiResource.js'

export const RANGES = {
  '24h': 24 * 3600 * 1000,
  '7d': 7 * 24 * 3600 * 1000,
  '30d': 30 * 24 * 3600 * 1000,
}

/** A provider's recorded readings over a range; `version` (the card's fetched_at) reloads it. */
export function useHistory(provider, range, version, { fetcher } = {}) {
  const url = useMemo(() => {
    // Whole minutes, so the URL (and the request) only changes when something new can be there.
    const since = Math.floor((Date.now() - RANGES[range]) / 60000) * 60000
    return historyUrl(provider, new Date(since).toISOString())
    // version is in the list on purpose: a new reading means new history to show.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [provider, range, version])
  return useApiResource(url, { fetcher })
}
