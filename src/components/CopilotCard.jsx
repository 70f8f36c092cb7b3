import { Box, Stack, Text } from '@chakra-ui/react'
import { memo } from 'react'
import { formatCount, formatDate, formatIn, formatMoney, formatPercent } from '../utils/format.js'
import { copilotForecastText } from '../utils/forecastText.js'
import { levelLabel, usageLevel } from '../utils/thresholds.js'
import ForecastLine from './ForecastLine.jsx'
import { ModelChart } from './charts.js'
import LazyChart from './LazyChart.jsx'
import ProviderCard from './ProviderCard.jsx'
import TrendPanel from './TrendPanel.jsx'
import UsageBar from './UsageBar.jsx'

const MAX_MODELS = 5
const SERIES = [{ key: 'used', label: 'Requests used', color: '#6B46C1', format: (v) => formatCount(v) }]
const toRow = (p) => ({ t: Date.parse(p.t), used: p.used })

/** At most five bars: the rest of the models are summed as "Other models". */
export function topModels(models) {
  if (models.length <= MAX_MODELS) return models
  const rest = models.slice(MAX_MODELS - 1)
  const other = rest.reduce((sum, m) => sum + m.requests, 0)
  return [...models.slice(0, MAX_MODELS - 1), { model: `${rest.length} other models`, requests: other }]
}

export function modelChartHeight(count) {
  return Math.max(count, 1) * 30 + 8
}

function CopilotCard({ id, title, subtitle, resource }) {
  return (
    <ProviderCard id={id} title={title} subtitle={subtitle} resource={resource}>
      {(data) => {
        const level = usageLevel(data.percent_used)
        const models = topModels(data.models)
        const height = modelChartHeight(models.length)
        return (
          <Stack gap="4">
            <Box>
              <Text fontSize="3xl" fontWeight="bold" lineHeight="1.1" fontVariantNumeric="tabular-nums" data-testid="copilot-headline">
                {formatCount(data.used)}
                <Text as="span" fontSize="lg" color="fg.muted" fontWeight="medium"> / {formatCount(data.monthly_limit)}</Text>
              </Text>
              <Text fontSize="sm" color="fg.muted">premium requests used by {data.username}</Text>
            </Box>
            <UsageBar
              label={levelLabel(level)}
              percent={data.percent_used}
              description={`Copilot premium requests: ${formatCount(data.used)} of ${formatCount(data.monthly_limit)} used (${formatPercent(data.percent_used)}), ${levelLabel(level)}`}
              detail={
                data.overage > 0
                  ? null
                  : `${formatCount(data.remaining)} left · resets ${formatDate(data.resets_at, undefined, { utc: true })} (${formatIn(data.resets_at)})`
              }
            />
            {data.overage > 0 && (
              <Box borderLeftWidth="3px" borderColor="red.solid" pl="3" data-testid="copilot-overage">
                <Text fontSize="sm" fontWeight="semibold" color="fg.error">
                  {formatCount(data.overage)} requests over the allowance · {formatMoney(data.billed_usd)} billed
                </Text>
                <Text fontSize="xs" color="fg.muted">
                  resets {formatDate(data.resets_at, undefined, { utc: true })} ({formatIn(data.resets_at)})
                </Text>
              </Box>
            )}
            <ForecastLine forecast={copilotForecastText(data.forecast, data)} testId="copilot-forecast" />
            <Box>
              <Text fontSize="xs" fontWeight="medium" color="fg.muted" mb="1">By model</Text>
              {models.length ? (
                <LazyChart height={height}>
                  <ModelChart models={models} height={height} />
                </LazyChart>
              ) : (
                <Text fontSize="sm" color="fg.muted">No premium requests yet this month.</Text>
              )}
            </Box>
            <TrendPanel provider={data.provider} version={data.fetched_at} series={SERIES} toRow={toRow} label="Copilot premium requests" />
          </Stack>
        )
      }}
    </ProviderCard>
  )
}

// A card re-renders only when its own resource changes, not when a sibling's data lands.
export default memo(CopilotCard)
