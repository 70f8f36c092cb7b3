import { Box, Button, HStack, Heading, Text } from '@chakra-ui/react'
import { memo } from 'react'
import { formatTime } from '../utils/format.js'
import ColorModeButton from './ColorModeButton.jsx'

/** The title, when the numbers were last updated, Refresh and the colour mode. Memoized: a card's answer landing
 * re-renders that card, not the header (App passes it deferred values). */
function PageHeader({ lastUpdated, unreachable, settled, loading, onRefresh }) {
  return (
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
        <Button size="sm" variant="outline" onClick={onRefresh} loading={loading} loadingText="Refreshing">
          Refresh
        </Button>
        <ColorModeButton />
      </HStack>
    </HStack>
  )
}

export default memo(PageHeader)
