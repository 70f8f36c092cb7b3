import { useCallback, useMemo } from 'react'
import { ACCOUNTS_URL, accountKey, accountUrl } from '../api/endpoints.js'
import { useApiResource, useApiResources } from './useApiResource.js'

export const AUTO_REFRESH_MS = 5 * 60 * 1000
const NO_URLS = []

/**
 * The accounts the API knows (its registry), each account's resource, refresh, and the page-level
 * facts the header and banners show. Automatic refresh pauses while the tab is hidden.
 */
export function useUsageDashboard({ intervalMs = AUTO_REFRESH_MS, fetcher } = {}) {
  const accounts = useApiResource(ACCOUNTS_URL, { fetcher })
  const listed = accounts.data?.accounts
  const urls = useMemo(() => (listed ? listed.map(accountUrl) : NO_URLS), [listed])
  const resources = useApiResources(urls, { fetcher, refetchInterval: intervalMs || false })

  const cards = useMemo(
    () => (listed ?? []).map((account, index) => ({ key: accountKey(account), account, resource: resources[index] })),
    [listed, resources],
  )
  const refresh = useCallback(() => {
    if (!listed) return accounts.reload()
    return Promise.all(resources.map((resource) => resource.reload({ refresh: true })))
  }, [accounts, listed, resources])

  const loaded = resources.filter((resource) => resource.data)
  const loadedTimes = loaded.map((resource) => resource.loadedAt).filter(Boolean)
  const unreachable = accounts.error?.code === 'api_unreachable' ||
    (resources.length > 0 && resources.every((resource) => resource.error?.code === 'api_unreachable'))
  return {
    cards,
    accounts,
    loading: accounts.loading || resources.some((resource) => resource.loading),
    isDemo: accounts.data?.demo === true,
    lastUpdated: loadedTimes.length ? Math.max(...loadedTimes) : null,
    unreachable,
    refresh,
  }
}
