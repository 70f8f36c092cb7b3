import { Alert, Badge, HStack, Stack, Text } from '@chakra-ui/react'
import { memo } from 'react'
import { useNow } from '../hooks/useNow.js'
import { formatCount, formatPercent } from '../utils/format.js'
import { codexForecastText } from '../utils/forecastText.js'
import { levelLabel, usageLevel } from '../utils/thresholds.js'
import Countdown from './Countdown.jsx'
import ForecastLine from './ForecastLine.jsx'
import ProviderCard from './ProviderCard.jsx'
import TrendPanel from './TrendPanel.jsx'
import UsageBar from './UsageBar.jsx'

/** Of the full windows, the one that resets last: work can only resume after it. */
export function blockingWindow(windows) {
  const full = windows.filter((w) => w.used_percent >= 100)
  return full.sort((a, b) => (b.resets_in_seconds ?? 0) - (a.resets_in_seconds ?? 0))[0] ?? null
}

const SERIES = [
  { key: 'primary', label: '5-hour', color: '#319795', format: (v) => formatPercent(v) },
  { key: 'secondary', label: 'Weekly', color: '#DD6B20', format: (v) => formatPercent(v) },
]
const toRow = (p) => ({ t: Date.parse(p.t), primary: p.windows?.primary, secondary: p.windows?.secondary })

function planName(plan) {
  return plan ? `${plan.charAt(0).toUpperCase()}${plan.slice(1)} plan` : null
}

function CodexCard({ id, title, subtitle, resource }) {
  const now = useNow(60000)
  return (
    <ProviderCard id={id} title={title} subtitle={subtitle} resource={resource}>
      {(data) => {
        const blocking = blockingWindow(data.windows)
        const credits = data.credits
        const forecasts = Object.fromEntries((data.forecast?.windows ?? []).map((f) => [f.id, f]))
        return (
          <Stack gap="4">
            <HStack gap="2" wrap="wrap">
              {data.plan_type && <Badge colorPalette="teal" variant="subtle">{planName(data.plan_type)}</Badge>}
              {credits && (credits.unlimited || credits.has_credits) && (
                <Badge colorPalette="gray">{credits.unlimited ? 'unlimited credits' : `${formatCount(credits.balance ?? 0)} credits`}</Badge>
              )}
            </HStack>
            {data.limit_reached && (
              <Alert.Root status="error" size="sm" role="alert" data-testid="codex-limit-reached">
                <Alert.Indicator />
                <Alert.Content>
                  <Alert.Title>Limit reached</Alert.Title>
                  <Alert.Description>
                    {blocking ? <>{blocking.label} window <Countdown to={blocking.resets_at} /></> : 'Codex is paused until a window resets.'}
                  </Alert.Description>
                </Alert.Content>
              </Alert.Root>
            )}
            {data.windows.length === 0 && <Text fontSize="sm" color="fg.muted">ChatGPT reported no usage windows for this account.</Text>}
            {data.windows.map((window) => (
              <UsageBar
                key={window.id}
                label={window.label}
                percent={window.used_percent}
                description={`Codex ${window.label} window: ${formatPercent(window.used_percent)} used, ${levelLabel(usageLevel(window.used_percent))}`}
                detail={
                  <Stack gap="0.5">
                    <Countdown to={window.resets_at} />
                    <ForecastLine forecast={codexForecastText(forecasts[window.id], window, now)} testId={`codex-forecast-${window.id}`} />
                  </Stack>
                }
              />
            ))}
            <TrendPanel provider={data.provider} version={data.fetched_at} series={SERIES} toRow={toRow} label="Codex limits" />
          </Stack>
        )
      }}
    </ProviderCard>
  )
}

// A card re-renders only when its own resource changes, not when a sibling's data lands.
export default memo(CodexCard)
