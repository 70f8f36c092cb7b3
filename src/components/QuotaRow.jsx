import { Box, HStack, Stack, Text } from '@chakra-ui/react'
import { formatAmount, formatCount, formatPercent, formatReset } from '../utils/format.js'
import { paceText } from '../utils/paceText.js'
import { statusLabel, statusOf } from '../utils/status.js'

/**
 * One quota: how much is left, and will it last until the reset. The bar's colour, the status word
 * and the aria label all come from the server's `status`, so they never contradict each other.
 */
export default function QuotaRow({ quota, now, title }) {
  const { palette } = statusOf(quota)
  const label = statusLabel(quota)
  const shown = Math.min(Math.max(quota.used_percent ?? 0, 0), 100)
  const pace = paceText(quota, now)
  const left = quota.remaining != null ? `${formatAmount(quota.remaining, quota.unit)} left` : 'left unknown'
  const amounts = quota.unit === 'percent'
    ? `${formatPercent(quota.used_percent)} used`
    : quota.unit === 'usd'
      ? `${formatAmount(quota.used, quota.unit)} of ${formatAmount(quota.limit, quota.unit)}`
      : `${formatCount(quota.used)} of ${formatAmount(quota.limit, quota.unit)}`
  return (
    <Box colorPalette={palette} data-testid={`quota-${quota.id}`} data-status={quota.status}>
      <HStack justify="space-between" gap="2" align="baseline">
        <Text fontWeight="medium" fontSize="sm" minW="0" truncate>{quota.label}</Text>
        <Text fontSize="sm" fontWeight="semibold" fontVariantNumeric="tabular-nums" flexShrink="0">{left}</Text>
      </HStack>
      <Box
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(shown)}
        aria-label={`${title} ${quota.label}: ${formatPercent(quota.used_percent)} used, ${label}`}
        height="8px"
        my="1"
        borderRadius="full"
        bg="colorPalette.subtle"
        _dark={{ bg: 'colorPalette.muted' }} // the subtle shade all but vanishes on a dark card
        overflow="hidden"
      >
        <Box height="full" width={`${shown}%`} bg="colorPalette.solid" borderRadius="full" />
      </Box>
      <Stack gap="0" fontSize="xs" color="fg.muted">
        <HStack justify="space-between" gap="2" wrap="wrap">
          <Text fontVariantNumeric="tabular-nums">{amounts}</Text>
          <Text title={quota.resets_at ?? undefined}>{quota.resets_at ? formatReset(quota.resets_at, now) : 'no reset: lasts until spent'}</Text>
        </HStack>
        <Text data-testid={`pace-${quota.id}`} color="colorPalette.fg" fontWeight="medium" title={pace?.basis || undefined}>
          <Box as="span" srOnly>{label}: </Box>
          {pace ? pace.text : label}
        </Text>
      </Stack>
    </Box>
  )
}
