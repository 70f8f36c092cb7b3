import { Box } from '@chakra-ui/react'
import { useChartsReady } from '../hooks/useChartsReady.js'
import { HEADER_HEIGHT, HEIGHT } from './trendSizes.js'
import TrendHistory from './TrendHistory.jsx'

/**
 * The card's trend: a range switch, then the chart, or why there is none yet. Until every card
 * has its numbers it is only a placeholder of the same size, so it costs nothing when they land.
 */
export default function TrendPanel({ provider, version, series, toRow, label }) {
  const ready = useChartsReady()
  if (!ready) return <Box height={`${HEADER_HEIGHT + 4 + HEIGHT}px`} data-testid={`trend-${provider}`} />
  return <TrendHistory provider={provider} version={version} series={series} toRow={toRow} label={label} />
}
