import { Box, Button, HStack, Heading, Stack, Text } from '@chakra-ui/react'
import { useDeferredValue } from 'react'
import AlertsPanel from './components/AlertsPanel.jsx'
import ApiBanner from './components/ApiBanner.jsx'
import CardError from './components/CardError.jsx'
import ColorModeButton from './components/ColorModeButton.jsx'
import DemoBanner from './components/DemoBanner.jsx'
import SummaryStrip from './components/SummaryStrip.jsx'
import { useNow } from './hooks/useNow.js'
import { AUTO_REFRESH_MS, useUsageDashboard } from './hooks/useUsageDashboard.jsx'
import UsageDashboard from './UsageDashboard.jsx'
import { formatTime } from './utils/format.js'

/** The page shell: title, last update, refresh, colour mode, banners, the summary strip and the cards. */
export default function App({ dashboardOptions }) {
  const { cards, accounts, loading, isDemo, lastUpdated, unreachable, refresh } = useUsageDashboard(dashboardOptions)
  // A card's numbers are committed first; the summary and the alerts follow in a render of their own.
  const summaryCards = useDeferredValue(cards)
  const alertsVersion = useDeferredValue(lastUpdated)
  const now = useNow(15000)
  const settled = cards.length > 0 && cards.every(({ resource }) => resource.data || resource.error)
  const interval = dashboardOptions?.intervalMs ?? AUTO_REFRESH_MS
  return (
    <Box maxW="8xl" mx="auto" px={{ base: '3', md: '6' }} py={{ base: '3', md: '5' }}>
      <Stack gap="3">
        <HStack as="header" justify="space-between" align="center" wrap="wrap" gap="2">
          <HStack gap="3">
            <img src="/favicon.svg" alt="" width="32" height="32" />
            <Box>
              <Heading as="h1" size="lg" letterSpacing="tight">AI usage</Heading>
              <Text fontSize="xs" color="fg.muted" aria-live="polite" data-testid="last-updated">
                {lastUpdated ? `Updated ${formatTime(lastUpdated)}` : unreachable ? 'Not connected' : settled ? 'No numbers yet: see each card' : 'Loading…'}
              </Text>
            </Box>
          </HStack>
          <HStack gap="1">
            <Button size="sm" variant="outline" onClick={() => refresh()} loading={loading} loadingText="Refreshing">
              Refresh
            </Button>
            <ColorModeButton />
          </HStack>
        </HStack>
        {!unreachable && <AlertsPanel now={now} version={alertsVersion} />}
        {unreachable && <ApiBanner />}
        {isDemo && <DemoBanner />}
        {accounts.error && !unreachable && (
          <CardError error={accounts.error} retrying={accounts.loading} onRetry={() => accounts.reload()} now={now} />
        )}
        <SummaryStrip cards={summaryCards} now={now} />
        <main>
          {!unreachable && <UsageDashboard cards={cards} now={now} refreshEvery={interval} />}
        </main>
      </Stack>
    </Box>
  )
}
