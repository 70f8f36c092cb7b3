import { useCallback, useEffect, useRef } from 'react'
import { PROVIDERS } from '../providers.js'
import { useApiResource } from './useApiResource.js'

export const AUTO_REFRESH_MS = 5 * 60 * 1000

/**
 * Runs every provider's resource side by side, owns refresh (manual, and automatic while the tab
 * is visible) and derives the page-level view data. `providers` must not change between renders.
 */
export function useUsageDashboard({ providers = PROVIDERS, intervalMs = AUTO_REFRESH_MS, fetcher } = {}) {
  // The list is fixed for the page's life, so calling the hook once per entry keeps hook order stable.
  // eslint-disable-next-line react-hooks/rules-of-hooks
  const resources = providers.map((provider) => useApiResource(provider.url, { fetcher }))
  const reloaders = useRef([])
  reloaders.current = resources.map((resource) => resource.reload)

  const refresh = useCallback(({ force = true } = {}) => {
    reloaders.current.forEach((reload) => reload({ refresh: force }))
  }, [])

  useEffect(() => {
    if (!intervalMs) return undefined
    let timer = null
    const start = () => {
      clearInterval(timer)
      timer = setInterval(() => refresh({ force: false }), intervalMs)
    }
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        clearInterval(timer)
      } else {
        refresh({ force: false })
        start()
      }
    }
    if (document.visibilityState !== 'hidden') start()
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [intervalMs, refresh])

  const cards = providers.map((provider, index) => ({ ...provider, resource: resources[index] }))
  const loading = resources.some((resource) => resource.loading)
  const isDemo = resources.some((resource) => resource.data?.source === 'demo')
  const loadedTimes = resources.map((resource) => resource.loadedAt).filter(Boolean)
  const lastUpdated = loadedTimes.length ? Math.max(...loadedTimes) : null
  const failed = resources.filter((resource) => resource.error && !resource.data).length

  return { cards, loading, isDemo, lastUpdated, failed, refresh }
}
