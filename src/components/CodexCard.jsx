import { Alert, Badge, HStack, Stack, Text } from '@chakra-ui/react'
import { formatCount, formatPercent } from '../utils/format.js'
import { levelLabel, usageLevel } from '../utils/thresholds.js'
import Countdown from './Countdown.jsx'
import ProviderCard from './ProviderCard.jsx'
import UsageBar from './UsageBar.jsx'

/** The window that blocks work soonest: the full one that resets last. */
export function blockingWindow(windows) {
  const full = windows.filter((w) => w.used_percent >= 100)
  return full.sort((a, b) => (b.resets_in_seconds ?? 0) - (a.resets_in_seconds ?? 0))[0] ?? null
}

function planName(plan) {
  return plan ? `${plan.charAt(0).toUpperCase()}${plan.slice(1)} plan` : null
}

export default function CodexCard({ id, title, subtitle, resource }) {
  return (
    <ProviderCard id={id} title={title} subtitle={subtitle} resource={resource}>
      {(data) => {
        const blocking = blockingWindow(data.windows)
        const credits = data.credits
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
                detail={<Countdown to={window.resets_at} />}
              />
            ))}
          </Stack>
        )
      }}
    </ProviderCard>
  )
}
