import { Skeleton } from '@chakra-ui/react'
import { Suspense } from 'react'

/** Holds the chart's exact height while its lazy chunk (Recharts) loads, so nothing shifts. */
export default function LazyChart({ height, children }) {
  return <Suspense fallback={<Skeleton height={`${height}px`} borderRadius="md" />}>{children}</Suspense>
}
