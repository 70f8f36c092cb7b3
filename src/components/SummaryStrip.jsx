import { Box, HStack, Text, Wrap } from '@chakra-ui/react'
import { memo } from 'react'
import { formatAmount, formatResetTime } from '../utils/format.js'
import { errorStatus, statusLabel, statusOf } from '../utils/status.js'

/** One chip per quota of every loaded account: what is left, its status, when it resets. One row that wraps; on a
 * phone one line that scrolls sideways, its right edge fading out to say there is more (the padding lets the last
 * chip clear the fade). */
function SummaryStrip({ cards, now }) {
  const chips = []
  for (const { key, account, resource } of cards) {
    const name = `${account.title}${account.account !== 'default' ? ` · ${account.account}` : ''}`
    for (const quota of resource.data?.quotas ?? []) {
      chips.push({ id: `${key}:${quota.id}`, href: `#card-${key}`, name, quota })
    }
    if (!resource.data && resource.error) {
      // A failing account keeps its place in the summary, in its card's colours and words: the reason's title, and
      // whether a setting needs fixing or the read failed.
      chips.push({ id: `${key}:error`, href: `#card-${key}`, name, failure: errorStatus(resource.error),
        quota: { label: resource.error.title ?? 'No numbers', status: 'unknown', remaining: null } })
    }
  }
  if (!chips.length) return null
  return (
    <Box as="nav" aria-label="Summary of every quota" data-testid="summary-strip">
      <Wrap as="ul" gap="2" listStyleType="none" m="0" p="0" flexWrap={{ base: 'nowrap', md: 'wrap' }}
        overflowX={{ base: 'auto', md: 'visible' }} pb={{ base: '1', md: '0' }} pe={{ base: '8', md: '0' }}
        css={{ maskImage: { base: 'linear-gradient(to right, black calc(100% - 2rem), transparent)', md: 'none' } }}>
        {chips.map(({ id, href, name, quota, failure }) => (
          <Box as="li" key={id} flexShrink="0">
            <Box as="a" href={href} display="block" colorPalette={failure?.palette ?? statusOf(quota).palette} borderWidth="1px"
              borderColor="colorPalette.muted" bg="colorPalette.subtle" borderRadius="md" px="2" py="1"
              data-status={quota.status} _hover={{ borderColor: 'colorPalette.solid' }}>
              <Text fontSize="2xs" color="fg.muted" lineHeight="short">{name} · {quota.label}</Text>
              <HStack gap="2" fontSize="xs">
                <Text fontWeight="semibold" fontVariantNumeric="tabular-nums">
                  {quota.remaining != null ? `${formatAmount(quota.remaining, quota.unit)} left` : '—'}
                </Text>
                <Text color="colorPalette.fg" fontWeight="medium">{failure?.label ?? statusLabel(quota)}</Text>
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
