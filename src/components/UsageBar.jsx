import { Box, HStack, Progress, Text } from '@chakra-ui/react'
import { formatPercent } from '../utils/format.js'
import { levelLabel, levelPalette, usageLevel } from '../utils/thresholds.js'

/** A labelled progress bar whose color follows the usage level; the level is also written out. */
export default function UsageBar({ label, percent, description, detail, size = 'md' }) {
  const level = usageLevel(percent)
  const shown = Math.min(Math.max(percent ?? 0, 0), 100)
  return (
    <Progress.Root value={shown} max={100} colorPalette={levelPalette(level)} size={size} data-level={level}>
      <HStack justify="space-between" mb="1" gap="2">
        <Progress.Label fontWeight="medium" fontSize="sm">{label}</Progress.Label>
        <Text fontSize="sm" fontWeight="semibold" fontVariantNumeric="tabular-nums">
          {formatPercent(percent)}
        </Text>
      </HStack>
      <Progress.Track aria-label={description ?? `${label}: ${formatPercent(percent)} used, ${levelLabel(level)}`} borderRadius="full">
        <Progress.Range />
      </Progress.Track>
      {detail && (
        <Box mt="1" fontSize="xs" color="fg.muted">
          {detail}
        </Box>
      )}
    </Progress.Root>
  )
}
