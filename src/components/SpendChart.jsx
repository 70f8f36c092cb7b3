import { Box } from '@chakra-ui/react'
import { Bar, BarChart, LabelList, ResponsiveContainer, XAxis } from 'recharts'
import { formatMoney } from '../utils/format.js'

/** Spend today / this week / this month as bars with their amounts written on them. */
export default function SpendChart({ data, height }) {
  const summary = data.map((d) => `${d.label} ${formatMoney(d.value)}`).join(', ')
  return (
    <Box as="figure" role="img" aria-label={`Spend: ${summary}`} height={`${height}px`} color="fg.muted" fontSize="xs">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height }}>
        <BarChart data={data} margin={{ top: 18, right: 4, bottom: 0, left: 4 }}>
          <XAxis dataKey="label" tickLine={false} axisLine={false} tick={{ fill: 'currentColor', fontSize: 12 }} />
          <Bar dataKey="value" fill="#319795" radius={[4, 4, 0, 0]} isAnimationActive={false} maxBarSize={56}>
            <LabelList dataKey="value" position="top" formatter={(v) => formatMoney(v)} style={{ fill: 'currentColor', fontSize: 12 }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </Box>
  )
}
