import { Box, Stack } from '@chakra-ui/react'
import { useCallback, useDeferredValue, useEffect, useRef } from 'react'
import AlertsPanel from './components/AlertsPanel.jsx'
import ApiBanner from './components/ApiBanner.jsx'
import CardError from './components/CardError.jsx'
import DemoBanner from './components/DemoBanner.jsx'
import PageHeader from './components/PageHeader.jsx'
import SummaryStrip from './components/SummaryStrip.jsx'
import { useNow } from './hooks/useNow.js'
import { AUTO_REFRESH_MS, useUsageDashboard } from './hooks/useUsageDashboard.jsx'
import UsageDashboard from './UsageDashboard.jsx'

/** The page shell: title, last update, refresh, colour mode, banners, the summary strip and the cards. */
export default function App({ dashboardOptions }) {
  const { cards, accounts, loading, isDemo, lastUpdated, unreachable, refresh } = useUsageDashboard(dashboardOptions)
  // A card's numbers are committed first; the summary, the alerts and the header follow in a render of their own.
  const summaryCards = useDeferredValue(cards)
  const updated = useDeferredValue(lastUpdated)
  const now = useNow(15000)
  const settled = cards.length > 0 && cards.every(({ resource }) => resource.data || resource.error)
  const interval = dashboardOptions?.intervalMs ?? AUTO_REFRESH_MS
  // The header's click handler stays the same function (refresh itself changes with every answer), so an answer
  // landing does not re-render the header before the card.
  const latestRefresh = useRef(refresh)
  useEffect(() => { latestRefresh.current = refresh })
  const onRefresh = useCallback(() => latestRefresh.current(), [])
  const headerSettled = useDeferredValue(settled)
  const headerLoading = useDeferredValue(loading)
  return (
    <Box maxW="8xl" mx="auto" px={{ base: '3', md: '6' }} py={{ base: '3', md: '5' }}>
      <Stack gap="3">
        <PageHeader lastUpdated={updated} unreachable={unreachable} settled={headerSettled} loading={headerLoading}
          onRefresh={onRefresh} />
        {!unreachable && <AlertsPanel now={now} version={updated} />}
        {unreachable && <ApiBanner />}
        {isDemo && <DemoBanner />}
        {accounts.error && !unreachable && (
          <CardError error={accounts.error} retrying={accounts.loading} onRetry={() => accounts.reload()} />
        )}
        <SummaryStrip cards={summaryCards} now={now} />
        <main>
          {!unreachable && <UsageDashboard cards={cards} now={now} refreshEvery={interval} />}
        </main>
      </Stack>
    </Box>
  )
}
