import { Alert, Badge, HStack, Stack } from '@chakra-ui/react'
import { formatCount } from '../utils/format.js'

/** Codex's extras: the plan, credits, and why the account is blocked when it is. */
export default function CodexDetails({ data }) {
  const credits = data.credits
  return (
    <Stack gap="2">
      {data.blocked_reason && (
        <Alert.Root status="error" size="sm" role="alert" data-testid="codex-blocked">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>Blocked</Alert.Title>
            <Alert.Description>{data.blocked_reason.message}</Alert.Description>
          </Alert.Content>
        </Alert.Root>
      )}
      <HStack gap="2" wrap="wrap">
        {data.plan_type && <Badge variant="subtle">{data.plan_type.charAt(0).toUpperCase() + data.plan_type.slice(1)} plan</Badge>}
        {credits && (credits.unlimited || credits.has_credits) && (
          <Badge variant="subtle">{credits.unlimited ? 'unlimited credits' : `${formatCount(credits.balance ?? 0)} credits`}</Badge>
        )}
      </HStack>
    </Stack>
  )
}
