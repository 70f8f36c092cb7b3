import { Badge, Box, HStack, Stack, Text } from '@chakra-ui/react'
import { memo } from 'react'
import { formatMoney, formatPercent } from '../utils/format.js'
import { openRouterForecastText } from '../utils/forecastText.js'
import ForecastLine from './ForecastLine.jsx'
import ProviderCard from './ProviderCard.jsx'
import TrendPanel from './TrendPanel.jsx'
import { SpendChart } from './charts.js'
import LazyChart from './LazyChart.jsx'
import UsageBar from './UsageBar.jsx'
import UsageGauge from './UsageGauge.jsx'

const CHART_HEIGHT = 110
const wholeDollars = (v) => `$${Math.round(v)}`
const BALANCE_SERIES = [{ key: 'balance', label: 'Balance', color: '#319795', format: (v) => formatMoney(v), tick: wholeDollars }]
const SPEND_SERIES = [{ key: 'usage', label: 'Total spend', color: '#319795', format: (v) => formatMoney(v), tick: wholeDollars }]
const toRow = (p) => ({ t: Date.parse(p.t), balance: p.balance_usd, usage: p.usage_usd })

/** What is left to spend: the account balance first, else the key's own limit. */
export function openRouterHeadline(data) {
  if (data.account) {
    const { balance_usd, total_credits_usd, total_usage_usd } = data.account
    return {
      amount: balance_usd,
      caption: 'credit balance',
      detail: `of ${formatMoney(total_credits_usd)} bought · ${formatMoney(total_usage_usd)} used`,
      percent: total_credits_usd > 0 ? (total_usage_usd / total_credits_usd) * 100 : null,
    }
  }
  if (data.remaining_usd != null && data.limit_usd) {
    return {
      amount: data.remaining_usd,
      caption: 'left on this key',
      detail: `of a ${formatMoney(data.limit_usd)} ${data.limit_reset ?? ''} key limit`.replace('  ', ' '),
      percent: ((data.limit_usd - data.remaining_usd) / data.limit_usd) * 100,
    }
  }
  return { amount: null, caption: 'no spending limit on this key', detail: `${formatMoney(data.usage_usd)} used in total`, percent: null }
}

function OpenRouterCard({ id, title, subtitle, resource }) {
  return (
    <ProviderCard id={id} title={title} subtitle={subtitle} resource={resource}>
      {(data) => {
        const headline = openRouterHeadline(data)
        const spend = [
          { label: 'Today', value: data.usage_daily_usd ?? 0 },
          { label: 'This week', value: data.usage_weekly_usd ?? 0 },
          { label: 'This month', value: data.usage_monthly_usd ?? 0 },
        ]
        const keyLimitUsed = data.limit_usd ? ((data.limit_usd - (data.remaining_usd ?? 0)) / data.limit_usd) * 100 : null
        return (
          <Stack gap="4">
            <HStack justify="space-between" align="center" gap="3">
              <Box minW="0">
                <Text fontSize="3xl" fontWeight="bold" lineHeight="1.1" data-testid="openrouter-headline" fontVariantNumeric="tabular-nums">
                  {headline.amount == null ? 'No limit' : formatMoney(headline.amount)}
                </Text>
                <Text fontSize="sm" color="fg.muted">{headline.caption}</Text>
                <Text fontSize="xs" color="fg.muted">{headline.detail}</Text>
              </Box>
              {headline.percent != null && <UsageGauge percent={headline.percent} label="OpenRouter credits" />}
            </HStack>
            <ForecastLine forecast={openRouterForecastText(data.forecast)} testId="openrouter-forecast" />
            {data.account && data.limit_usd != null && (
              <UsageBar
                size="sm"
                label={`Key limit${data.limit_reset ? ` (${data.limit_reset})` : ''}`}
                percent={keyLimitUsed}
                description={`Key limit: ${formatMoney(data.remaining_usd)} left of ${formatMoney(data.limit_usd)}, ${formatPercent(keyLimitUsed)} used`}
                detail={`${formatMoney(data.remaining_usd)} left of ${formatMoney(data.limit_usd)}`}
              />
            )}
            <Box>
              <Text fontSize="xs" fontWeight="medium" color="fg.muted" mb="1">Spend</Text>
              <LazyChart height={CHART_HEIGHT}>
                <SpendChart data={spend} height={CHART_HEIGHT} />
              </LazyChart>
            </Box>
            <TrendPanel
              provider={data.provider}
              version={data.fetched_at}
              series={headline.amount == null ? SPEND_SERIES : BALANCE_SERIES}
              toRow={toRow}
              label="OpenRouter"
            />
            <HStack gap="2" fontSize="xs" color="fg.muted" wrap="wrap">
              {data.key_label && <Text>Key {data.key_label}</Text>}
              {data.is_free_tier && <Badge size="sm" colorPalette="gray">free tier</Badge>}
            </HStack>
          </Stack>
        )
      }}
    </ProviderCard>
  )
}

// A card re-renders only when its own resource changes, not when a sibling's data lands.
export default memo(OpenRouterCard)
