import { useCallback, useMemo } from 'react'
import { ACCOUNTS_URL, accountKey, accountUrl } from '../api/endpoints.js'
import { ApiError } from '../api/fetchJson.js'
import { useApiResource, useApiResources } from './useApiResource.js'

export const AUTO_REFRESH_MS = 5 * 60 * 1000

/** An account the API lists as not set up: its problem is the card's error, as its route would answer; no request. */
function notSetUp({ problem }, accounts) {
  const error = new ApiError(problem.code, problem.message, { status: 400, title: problem.title ?? null, transient: problem.transient ?? false })
  // Checking again is reading the account list again: the API looks at the settings and login files once more.
  return { data: null, error, loading: accounts.loading, loadedAt: accounts.loadedAt, reload: () => accounts.reload() }
}

const readable = (account) => account.configured !== false || !account.problem

/**
 * The accounts the API knows (its registry), each account's resource, refresh, and the page-level
 * facts the header and banners show. Automatic refresh pauses while the tab is hidden.
 */
export function useUsageDashboard({ intervalMs = AUTO_REFRESH_MS, fetcher } = {}) {
  const accounts = useApiResource(ACCOUNTS_URL, { fetcher })
  const listed = accounts.data?.accounts
  const urls = useMemo(() => (listed ?? []).filter(readable).map(accountUrl), [listed])
  const resources = useApiResources(urls, { fetcher, refetchInterval: intervalMs || false })
  const setUp = useMemo(() => new Map((listed ?? []).filter((a) => !readable(a)).map((a) => [a, notSetUp(a, accounts)])), [listed, accounts])

  const cards = useMemo(() => {
    const read = new Map(urls.map((url, index) => [url, resources[index]]))
    return (listed ?? []).map((account) => ({
      key: accountKey(account), account, resource: readable(account) ? read.get(accountUrl(account)) : setUp.get(account),
    }))
  }, [listed, urls, resources, setUp])
  const refresh = useCallback(() => {
    if (!listed) return accounts.reload()
    // Accounts not set up are checked again too: a setting or a login may have been added meanwhile.
    return Promise.all([...resources.map((resource) => resource.reload({ refresh: true })), setUp.size ? accounts.reload() : null])
  }, [accounts, listed, resources, setUp])

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
