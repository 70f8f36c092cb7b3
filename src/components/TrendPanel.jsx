import { Box, Button, Group, HStack, Skeleton, Text } from '@chakra-ui/react'
import { useState } from 'react'
import { useChartsReady } from '../hooks/useChartsReady.js'
import { RANGES, useHistory } from '../hooks/useHistory.js'
import { TrendChart } from './charts.js'
import LazyChart from './LazyChart.jsx'

const HEIGHT = 110

/** The card's trend: a range switch, then the chart, or why there is none yet. */
export default function TrendPanel({ provider, version, series, toRow, label }) {
  const [range, setRange] = useState('7d')
  const history = useHistory(provider, range, version, { enabled: useChartsReady() })
  const rows = history.data?.points.map(toRow) ?? []
  return (
    <Box data-testid={`trend-${provider}`}>
      <HStack justify="space-between" mb="1">
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
