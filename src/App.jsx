import { Box, Button, HStack, Heading, Stack, Text } from '@chakra-ui/react'
import ColorModeButton from './components/ColorModeButton.jsx'
import DemoBanner from './components/DemoBanner.jsx'
import { useUsageDashboard } from './hooks/useUsageDashboard.jsx'
import UsageDashboard from './UsageDashboard.jsx'
import { formatTime } from './utils/format.js'

/** The page shell: title, last update, refresh, color mode, demo banner, and the cards. */
export default function App({ dashboardOptions }) {
  const { cards, loading, isDemo, lastUpdated, refresh } = useUsageDashboard(dashboardOptions)
  return (
    <Box maxW="7xl" mx="auto" px={{ base: '3', md: '6' }} py={{ base: '4', md: '6' }}>
      <Stack gap="4">
        <HStack as="header" justify="space-between" align="center" wrap="wrap" gap="2">
          <HStack gap="3">
            <img src="/favicon.svg" alt="" width="36" height="36" />
            <Box>
            <Heading as="h1" size="xl" letterSpacing="tight">AI usage</Heading>
            <Text fontSize="sm" color="fg.muted" aria-live="polite" data-testid="last-updated">
              {lastUpdated ? `Updated ${formatTime(lastUpdated)}` : 'Loading…'}
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
        {isDemo && <DemoBanner />}
        <main>
          <UsageDashboard cards={cards} />
        </main>
      </Stack>
    </Box>
  )
}
