import { Box, Button, HStack, Skeleton, Text } from '@chakra-ui/react'
import { Suspense, lazy, useState } from 'react'
import { RANGES, useHistory } from '../hooks/useHistory.js'
import { chartRows } from '../utils/chartRows.js'

// Recharts lives in its own chunk: the numbers paint first, the chart follows.
const TrendChart = lazy(() => import('./TrendChart.jsx'))
const CHART_HEIGHT = 130
const MIN_SPAN_MS = 30 * 60 * 1000 // a line over a few minutes says nothing yet

/**
 * The card's trend: which quota, which range (24h / 7d / 30d), then the chart or why there is none. Until `ready`
 * (every card has its numbers) it is its frame only, the chart's place kept: no history read, no layout jump later.
 */
export default function TrendHistory({ cardKey, account, data, now, ready = true }) {
  const [range, setRange] = useState('7d')
  const [picked, setPicked] = useState(null)
  const quota = data.quotas.find((q) => q.id === picked) ?? data.quotas.find((q) => q.id === data.headline_quota) ?? data.quotas[0]
  const history = useHistory(account.provider, account.account, quota.id, range, data.fetched_at, { enabled: ready })
  const rows = history.data ? chartRows(history.data.rows ?? [], quota, range) : []
  return (
    <Box data-testid={`trend-${cardKey}`}>
      <HStack justify="space-between" mb="1" gap="2" wrap="wrap">
        {data.quotas.length > 1 ? (
          <HStack gap="1" role="group" aria-label={`${account.title}: trend of`} wrap="wrap">
            {data.quotas.map((q) => (
              <Button key={q.id} size="2xs" colorPalette="gray" variant={q.id === quota.id ? 'solid' : 'outline'} aria-pressed={q.id === quota.id}
                onClick={() => setPicked(q.id)}>
                {q.label}
              </Button>
            ))}
          </HStack>
        ) : <Text fontSize="xs" fontWeight="medium" color="fg.muted">Trend</Text>}
        <HStack gap="1" role="group" aria-label={`${account.title}: trend range`}>
          {Object.keys(RANGES).map((key) => (
            <Button key={key} size="2xs" colorPalette="gray" variant={key === range ? 'solid' : 'outline'} aria-pressed={key === range} onClick={() => setRange(key)}>
              {key}
            </Button>
          ))}
        </HStack>
      </HStack>
      {history.error && !history.data ? (
        <Text fontSize="xs" color="fg.muted" minH={`${CHART_HEIGHT}px`}>History is unavailable: {history.error.message}</Text>
      ) : !history.data ? (
        <Skeleton height={`${CHART_HEIGHT}px`} borderRadius="md" />
      ) : rows.length < 2 || rows[rows.length - 1].t - rows[0].t < MIN_SPAN_MS ? (
        <Text fontSize="xs" color="fg.muted" data-testid={`trend-empty-${cardKey}`}>
          No trend yet: a reading is recorded every few minutes while the API runs ({rows.length} so far).
        </Text>
      ) : (
        <Suspense fallback={<Skeleton height={`${CHART_HEIGHT}px`} borderRadius="md" />}>
          <TrendChart rows={rows} quota={quota} range={range} height={CHART_HEIGHT} now={now} title={account.title} />
        </Suspense>
      )}
    </Box>
  )
}
