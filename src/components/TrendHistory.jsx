import { Box, Button, Group, HStack, Skeleton, Text } from '@chakra-ui/react'
import { useState } from 'react'
import { RANGES, useHistory } from '../hooks/useHistory.js'
import { TrendChart } from './charts.js'
import LazyChart from './LazyChart.jsx'
import { HEADER_HEIGHT, HEIGHT } from './trendSizes.js'

/** A range switch (24h / 7d / 30d) and the chart of recorded readings, or why there is none. */
export default function TrendHistory({ provider, version, series, toRow, label }) {
  const [range, setRange] = useState('7d')
  const history = useHistory(provider, range, version)
  const rows = history.data?.points.map(toRow) ?? []
  return (
    <Box data-testid={`trend-${provider}`}>
      <HStack justify="space-between" mb="1" height={`${HEADER_HEIGHT}px`}>
        <Text fontSize="xs" fontWeight="medium" color="fg.muted">Trend</Text>
        <Group attached aria-label="Trend range">
          {Object.keys(RANGES).map((key) => (
            <Button key={key} size="2xs" variant={key === range ? 'subtle' : 'ghost'} aria-pressed={key === range} onClick={() => setRange(key)}>
              {key}
            </Button>
          ))}
        </Group>
      </HStack>
      {history.error && !history.data ? (
        <Text fontSize="xs" color="fg.muted" minH={`${HEIGHT}px`}>History is unavailable: {history.error.message}</Text>
      ) : !history.data ? (
        <Skeleton height={`${HEIGHT}px`} borderRadius="md" />
      ) : rows.length < 2 ? (
        <Text fontSize="xs" color="fg.muted" minH={`${HEIGHT}px`}>
          No trend yet: a reading is recorded every few minutes while the API runs.
        </Text>
      ) : (
        <LazyChart height={HEIGHT}>
          <TrendChart rows={rows} series={series} range={range} height={HEIGHT} label={label} />
        </LazyChart>
      )}
    </Box>
  )
}
