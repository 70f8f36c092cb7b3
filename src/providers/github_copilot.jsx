import { Stack, Text } from '@chakra-ui/react'
import DetailList from '../components/DetailList.jsx'
import { formatAmount, formatMoney } from '../utils/format.js'

const UNIT_NAMES = { ai_credits: 'AI credits', premium_requests: 'premium requests' }

/** Copilot's extras: the unit and where the allowance came from, the dollar value, use by product and model. */
export default function CopilotDetails({ data }) {
  const products = (data.products ?? []).map((p) => ({ name: p.product, value: p.quantity }))
  const models = (data.models ?? []).map((m) => ({ name: m.model, value: m.quantity ?? m.requests }))
  const value = data.unit === 'ai_credits' ? ` · worth ${formatMoney(data.used_usd)}` : ''
  return (
    <Stack gap="2">
      <Text fontSize="xs" color="fg.muted" data-testid="copilot-unit">
        Billed in {UNIT_NAMES[data.unit] ?? data.unit}{value} · allowance from {data.allowance_source}
        {data.billed_usd > 0 ? ` · ${formatMoney(data.billed_usd)} billed this month (paid use)` : ''}
      </Text>
      {products.length > 1 && (
        <DetailList title="By product" rows={products} format={(v) => formatAmount(v, data.unit)} testId="copilot-products" />
      )}
      <DetailList title="By model" rows={models} format={(v) => formatAmount(v, data.unit)} testId="copilot-models" />
    </Stack>
  )
}
