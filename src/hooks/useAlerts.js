import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { ALERTS_URL } from '../api/endpoints.js'
import { useApiResource } from './useApiResource.js'

const SEEN_KEY = 'ai-usage:alerts-seen'
const NOTIFIED_KEY = 'ai-usage:alerts-notified'
const readId = (key) => Number(globalThis.localStorage?.getItem(key)) || 0
const permissionListeners = new Set()
// Notification.permission is a synchronous call into the browser, and useSyncExternalStore reads its snapshot on every
// render (a card's answer landing re-renders the panel): it is read again only when it may have changed.
let permissionNow = null
const readPermission = () => (permissionNow ??= globalThis.Notification?.permission ?? 'unsupported')
// A page the server draws shows "Notify me" (no choice made yet: the usual case); the browser's answer follows.
const serverPermission = () => 'default'
function subscribePermission(onChange) {
  const changed = () => {
    permissionNow = null
    onChange()
  }
  permissionNow = null // whatever changed while nothing listened
  permissionListeners.add(changed)
  // The user may also change it in the browser's site settings: the Permissions API tells.
  let status = null
  let closed = false
  try {
    globalThis.navigator?.permissions?.query?.({ name: 'notifications' }).then((found) => {
      if (closed) return
      status = found
      status.onchange = changed
    }, () => {})
  } catch {
    // A browser that does not know this permission's name: the answer to "Notify me" is still followed.
  }
  return () => {
    closed = true
    permissionListeners.delete(changed)
    if (status) status.onchange = null
    if (!permissionListeners.size) permissionNow = null // nothing follows it now: read it afresh next time
  }
}

/**
 * Recent alerts, how many are unread, and browser notifications for new ones while the page is open
 * (once the user allows them). The API decides and sends alerts; the page only shows them.
 */
export function useAlerts({ intervalMs = 60_000, version = null } = {}) {
  const alerts = useApiResource(ALERTS_URL, { refetchInterval: intervalMs || false })
  const client = useQueryClient()
  useEffect(() => {
    // New readings may have raised alerts: ask again whenever the cards' data changes.
    if (version) client.invalidateQueries({ queryKey: ['api', ALERTS_URL] })
  }, [client, version])
  const events = useMemo(() => alerts.data?.alerts ?? [], [alerts.data])
  const [seen, setSeen] = useState(() => readId(SEEN_KEY))
  const permission = useSyncExternalStore(subscribePermission, readPermission, serverPermission)
  const [notifiedBefore] = useState(() => readId(NOTIFIED_KEY)) // localStorage once, not on every render
  const notified = useRef(notifiedBefore)

  const newest = events[0]?.id ?? 0
  useEffect(() => {
    if (permission !== 'granted' || !newest) return
    // The first load only sets the mark: alerts from before the page opened are in the list, not popped up.
    if (!notified.current) notified.current = newest
    for (const event of events.filter((e) => e.id > notified.current).reverse()) {
      const shown = new Notification(`AI usage: ${event.event.replaceAll('_', ' ')}`, { body: event.message, tag: `ai-usage-${event.id}` })
      shown.onclick = () => globalThis.focus?.() // clicking it brings the dashboard forward
    }
    notified.current = newest
    globalThis.localStorage?.setItem(NOTIFIED_KEY, String(newest))
  }, [events, newest, permission])

  const markRead = useCallback(() => {
    setSeen(newest)
    globalThis.localStorage?.setItem(SEEN_KEY, String(newest))
  }, [newest])

  const askPermission = useCallback(async () => {
    if (!globalThis.Notification) return
    await Notification.requestPermission()
    for (const listener of permissionListeners) listener()
  }, [])

  return { alerts, events, unread: events.filter((e) => e.id > seen).length, markRead, permission, askPermission }
}
