import { Box, HStack, Text } from '@chakra-ui/react'
import { formatPercent } from '../utils/format.js'
import { levelLabel, levelPalette, usageLevel } from '../utils/thresholds.js'

const HEIGHTS = { sm: '6px', md: '8px' }

/**
 * A labelled progress bar whose color follows the usage level; the level is also written out.
 * Plain elements with progressbar semantics: cheap to render, which matters when numbers land.
 */
export default function UsageBar({ label, percent, description, detail, size = 'md' }) {
  const level = usageLevel(percent)
  const shown = Math.min(Math.max(percent ?? 0, 0), 100)
  return (
    <Box colorPalette={levelPalette(level)} data-level={level}>
      <HStack justify="space-between" mb="1" gap="2">
        <Text fontWeight="medium" fontSize="sm">{label}</Text>
        <Text fontSize="sm" fontWeight="semibold" fontVariantNumeric="tabular-nums">
          {formatPercent(percent)}
        </Text>
      </HStack>
      <Box
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(shown)}
        aria-label={description ?? `${label}: ${formatPercent(percent)} used, ${levelLabel(level)}`}
        height={HEIGHTS[size]}
        borderRadius="full"
        bg="colorPalette.subtle"
        overflow="hidden"
      >
        <Box height="full" width={`${shown}%`} bg="colorPalette.solid" borderRadius="full" transition="width 0.3s ease" />
      </Box>
      {detail && (
        <Box mt="1" fontSize="xs" color="fg.muted">
          {detail}
        </Box>
      )}
    </Box>
  )
}
