import { HStack, Stack, Text } from '@chakra-ui/react'
import DetailList from '../components/DetailList.jsx'
import { formatMoney } from '../utils/format.js'

/** OpenRouter's extras: spend today, this week, this month, why the balance is unknown, spend by model. */
export default function OpenRouterDetails({ data }) {
  const models = (data.models ?? []).map((m) => ({ name: m.model, value: m.usage_usd }))
  return (
    <Stack gap="2">
      <HStack gap="4" fontSize="xs" color="fg.muted" wrap="wrap" data-testid="openrouter-spend">
        <Text>Today {formatMoney(data.usage_daily_usd)}</Text>
        <Text>This week {formatMoney(data.usage_weekly_usd)}</Text>
        <Text>This month {formatMoney(data.usage_monthly_usd)}</Text>
      </HStack>
      {data.account_problem && <Text fontSize="xs" color="fg.muted" data-testid="openrouter-account-problem">{data.account_problem}</Text>}
      <DetailList title="Spend by model, last 30 days" rows={models} format={formatMoney} testId="openrouter-models" />
    </Stack>
  )
}
