import { AbsoluteCenter, ProgressCircle, Text, VStack } from '@chakra-ui/react'
import { formatPercent } from '../utils/format.js'
import { levelLabel, levelPalette, usageLevel } from '../utils/thresholds.js'

/** A round gauge of how much of a budget is used, with the percent written in the middle. */
export default function UsageGauge({ percent, label }) {
  const level = usageLevel(percent)
  return (
    <ProgressCircle.Root value={Math.min(Math.max(percent ?? 0, 0), 100)} size="xl" colorPalette={levelPalette(level)} data-level={level}>
      <ProgressCircle.Circle aria-label={`${label}: ${formatPercent(percent)} used, ${levelLabel(level)}`} css={{ '--size': '88px', '--thickness': '9px' }}>
        <ProgressCircle.Track />
        <ProgressCircle.Range strokeLinecap="round" />
      </ProgressCircle.Circle>
      <AbsoluteCenter>
        <VStack gap="0">
          <Text fontSize="md" fontWeight="bold" lineHeight="1">{formatPercent(percent)}</Text>
          <Text fontSize="2xs" color="fg.muted">used</Text>
        </VStack>
      </AbsoluteCenter>
    </ProgressCircle.Root>
  )
}
