import { Box, HStack, Text, Wrap } from '@chakra-ui/react'
import { memo } from 'react'
import { formatAmount, formatResetTime } from '../utils/format.js'
import { statusLabel, statusOf } from '../utils/status.js'

/** One chip per quota of every loaded account: what is left, its status, when it resets. No scrolling needed. */
function SummaryStrip({ cards, now }) {
  const chips = []
  for (const { key, account, resource } of cards) {
    const name = `${account.title}${account.account !== 'default' ? ` · ${account.account}` : ''}`
    for (const quota of resource.data?.quotas ?? []) {
      chips.push({ id: `${key}:${quota.id}`, href: `#card-${key}`, name, quota })
    }
    if (!resource.data && resource.error) {
      // A failing account keeps its place in the summary: unknown, with the reason's title.
      chips.push({ id: `${key}:error`, href: `#card-${key}`, name, quota: { label: resource.error.title ?? 'No numbers', status: 'unknown', remaining: null } })
    }
  }
  if (!chips.length) return null
  return (
    <Box as="nav" aria-label="Summary of every quota" data-testid="summary-strip">
      <Wrap as="ul" gap="2" listStyleType="none" m="0" p="0" flexWrap={{ base: 'nowrap', md: 'wrap' }}
        overflowX={{ base: 'auto', md: 'visible' }} pb={{ base: '1', md: '0' }}>
        {chips.map(({ id, href, name, quota }) => (
          <Box as="li" key={id} flexShrink="0">
            <Box as="a" href={href} display="block" colorPalette={statusOf(quota).palette} borderWidth="1px"
              borderColor="colorPalette.muted" bg="colorPalette.subtle" borderRadius="md" px="2" py="1"
              data-status={quota.status} _hover={{ borderColor: 'colorPalette.solid' }}>
              <Text fontSize="2xs" color="fg.muted" lineHeight="short">{name} · {quota.label}</Text>
              <HStack gap="2" fontSize="xs">
                <Text fontWeight="semibold" fontVariantNumeric="tabular-nums">
                  {quota.remaining != null ? `${formatAmount(quota.remaining, quota.unit)} left` : '—'}
                </Text>
                <Text color="colorPalette.fg" fontWeight="medium">{statusLabel(quota)}</Text>
                {quota.resets_at && <Text color="fg.muted">↻ {formatResetTime(quota.resets_at, now)}</Text>}
              </HStack>
            </Box>
          </Box>
        ))}
      </Wrap>
    </Box>
  )
}

// Skipped while its (deferred) cards are unchanged, so a card's numbers never wait for the summary.
export default memo(SummaryStrip)
