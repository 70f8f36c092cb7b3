import { Box, Text } from '@chakra-ui/react'
import { formatPercent } from '../utils/format.js'
import { levelLabel, levelPalette, usageLevel } from '../utils/thresholds.js'

const SIZE = 88
const STROKE = 9
const RADIUS = (SIZE - STROKE) / 2
const CIRCUMFERENCE = 2 * Math.PI * RADIUS

/** A round gauge of how much of a budget is used, with the percent written in the middle. */
export default function UsageGauge({ percent, label }) {
  const level = usageLevel(percent)
  const shown = Math.min(Math.max(percent ?? 0, 0), 100)
  return (
    <Box
      position="relative"
      width={`${SIZE}px`}
      height={`${SIZE}px`}
      flexShrink="0"
      colorPalette={levelPalette(level)}
      data-level={level}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(shown)}
      aria-label={`${label}: ${formatPercent(percent)} used, ${levelLabel(level)}`}
    >
      <svg width={SIZE} height={SIZE} viewBox={`0 0 ${SIZE} ${SIZE}`} aria-hidden="true" style={{ transform: 'rotate(-90deg)' }}>
        <Box as="circle" cx={SIZE / 2} cy={SIZE / 2} r={RADIUS} fill="none" strokeWidth={STROKE} stroke="colorPalette.subtle" />
        <Box
          as="circle"
          cx={SIZE / 2}
          cy={SIZE / 2}
          r={RADIUS}
          fill="none"
          strokeWidth={STROKE}
          strokeLinecap="round"
          stroke="colorPalette.solid"
          strokeDasharray={CIRCUMFERENCE}
          strokeDashoffset={CIRCUMFERENCE * (1 - shown / 100)}
        />
      </svg>
      <Box position="absolute" inset="0" display="flex" flexDirection="column" alignItems="center" justifyContent="center">
        <Text fontSize="md" fontWeight="bold" lineHeight="1">{formatPercent(percent)}</Text>
        <Text fontSize="2xs" color="fg.muted">used</Text>
      </Box>
    </Box>
  )
}
