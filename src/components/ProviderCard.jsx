import { Badge, Box, Card, HStack, Heading, Spinner, Text } from '@chakra-ui/react'
import { formatAgo, formatDateTime, formatDuration } from '../utils/format.js'
import { statusOf } from '../utils/status.js'
import CardError from './CardError.jsx'
import CardSkeleton from './CardSkeleton.jsx'
import StaleNotice from './StaleNotice.jsx'

/** The frame every account card shares: header, then exactly one of loading, error or content, then the data's origin. */
export default function ProviderCard({ cardKey, title, subtitle, accountName, resource, now, refreshEvery, children }) {
  // Each account refreshes on its own schedule, from when its answer was loaded.
  const nextRefreshAt = resource.loadedAt && refreshEvery ? resource.loadedAt + refreshEvery : null
  const { data, error, loading, reload } = resource
  const state = data ? 'content' : error ? 'error' : 'loading'
  const headingId = `${cardKey}-title`
  const status = data?.status
  return (
    <Card.Root as="section" aria-labelledby={headingId} data-testid={`card-${cardKey}`} data-state={state}
      aria-busy={loading} size="sm" variant="outline" bg="bg.panel">
      <Card.Header pb="0">
        <HStack justify="space-between" align="flex-start" gap="2">
          <Box minW="0">
            <Heading as="h2" id={headingId} size="md">
              {title}{accountName && ' · '}{accountName && <Text as="span" color="fg.muted" fontWeight="normal">{accountName}</Text>}
            </Heading>
            <Text fontSize="xs" color="fg.muted">{subtitle}</Text>
          </Box>
          <HStack gap="1" flexShrink="0">
            {loading && data && <Spinner size="xs" color="fg.muted" aria-label="Refreshing" />}
            {data?.stale && <Badge colorPalette="orange" variant="solid">stale</Badge>}
            {data?.source === 'demo' && <Badge colorPalette="purple">demo</Badge>}
            {status && status !== 'unknown' && (
              <Badge colorPalette={statusOf(data).palette} data-testid={`status-${cardKey}`}>{statusOf(data).label}</Badge>
            )}
          </HStack>
        </HStack>
      </Card.Header>
      <Card.Body>
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
        <Text fontSize="xs" color="fg.muted" data-testid={`about-${cardKey}`}>
          {data
            ? <>{data.source === 'demo' ? 'Demo data' : 'Live'} · fetched <time dateTime={data.fetched_at} title={formatDateTime(data.fetched_at)}>{formatAgo(data.fetched_at, now)}</time>{nextRefreshAt && nextRefreshAt > now ? ` · next refresh in ${formatDuration(Math.max(Math.round((nextRefreshAt - now) / 60000), 1) * 60)}` : ''}</>
            : loading ? 'Loading…' : 'No data yet'}
        </Text>
      </Card.Footer>
    </Card.Root>
  )
}
