import { Badge, Box, Card, HStack, Heading, Spinner, Text } from '@chakra-ui/react'
import { useNow } from '../hooks/useNow.js'
import { formatAgo, formatDateTime } from '../utils/format.js'
import CardError from './CardError.jsx'
import CardSkeleton from './CardSkeleton.jsx'
import StaleNotice from './StaleNotice.jsx'

/** The frame every provider card shares: header, then exactly one of loading, error or content. */
export default function ProviderCard({ id, title, subtitle, resource, children }) {
  const { data, error, loading, reload } = resource
  const now = useNow(30000)
  const state = data ? 'content' : error ? 'error' : 'loading'
  return (
    <Card.Root as="section" aria-labelledby={`${id}-title`} data-testid={`card-${id}`} data-state={state} aria-busy={loading} size="sm" variant="elevated" height="full">
      <Card.Header pb="0">
        <HStack justify="space-between" align="flex-start" gap="2">
          <Box minW="0">
            <Heading as="h2" id={`${id}-title`} size="md">{title}</Heading>
            <Text fontSize="xs" color="fg.muted">{subtitle}</Text>
          </Box>
          <HStack gap="1" flexShrink="0">
            {loading && data && <Spinner size="xs" color="fg.muted" aria-label="Refreshing" />}
            {data?.stale && <Badge colorPalette="orange" variant="solid">stale</Badge>}
            {data?.source === 'demo' && <Badge colorPalette="purple">demo</Badge>}
          </HStack>
        </HStack>
      </Card.Header>
      <Card.Body minH="300px">
        {state === 'loading' && <CardSkeleton />}
        {state === 'error' && <CardError error={error} retrying={loading} onRetry={() => reload({ refresh: true })} />}
        {state === 'content' && (
          <>
            {(data.stale || error) && <StaleNotice error={error ?? data.error} />}
            {children(data)}
          </>
        )}
      </Card.Body>
      <Card.Footer pt="0">
        <Text fontSize="xs" color="fg.muted" title={data ? formatDateTime(data.fetched_at) : undefined}>
          {data ? `Fetched ${formatAgo(data.fetched_at, now)}` : loading ? 'Loading…' : 'No data yet'}
        </Text>
      </Card.Footer>
    </Card.Root>
  )
}
