import { Skeleton } from '@chakra-ui/react'
import { Suspense } from 'react'
import { useChartsReady } from '../hooks/useChartsReady.js'

/**
 * Holds the chart's exact height (so nothing shifts) until every card shows its numbers and
 * the chart's lazy chunk (Recharts) has loaded.
 */
export default function LazyChart({ height, children }) {
  const ready = useChartsReady()
  const placeholder = <Skeleton height={`${height}px`} borderRadius="md" />
  return ready ? <Suspense fallback={placeholder}>{children}</Suspense> : placeholder
}
