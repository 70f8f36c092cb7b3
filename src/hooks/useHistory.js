import { useMemo } from 'react'
import { historyUrl } from '../api/endpoints.js'
import { useApiResource } from './useApiResource.js'

export const RANGES = {
  '24h': 24 * 3600 * 1000,
  '7d': 7 * 24 * 3600 * 1000,
  '30d': 30 * 24 * 3600 * 1000,
}

/** One quota's recorded readings over a range; a new `version` (the card's fetched_at) reloads it. Not read while
 * `enabled` is false (it then stays {data: null, loading: false}). */
export function useHistory(provider, account, quota, range, version, { enabled = true } = {}) {
  const url = useMemo(() => {
    // Whole minutes from the reading's own time, so the URL only changes when something new can be there.
    const end = version ? Date.parse(version) : 0
    const since = Math.floor((end - RANGES[range]) / 60000) * 60000
    return historyUrl(provider, account, new Date(since).toISOString(), quota)
  }, [provider, account, quota, range, version])
  return useApiResource(enabled ? url : null)
}
