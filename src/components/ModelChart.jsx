import { Box } from '@chakra-ui/react'
import { Bar, BarChart, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts'
import { formatCount } from '../utils/format.js'

/** Requests per model as horizontal bars, counts written at the end of each bar. */
export default function ModelChart({ models, height }) {
  const summary = models.map((m) => `${m.model} ${formatCount(m.requests)}`).join(', ')
  return (
    <Box as="figure" role="img" aria-label={`Requests by model: ${summary}`} height={`${height}px`} color="fg.muted" fontSize="xs">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height }}>
        <BarChart data={models} layout="vertical" margin={{ top: 0, right: 36, bottom: 0, left: 0 }} barCategoryGap={6}>
          <XAxis type="number" hide />
          <YAxis type="category" dataKey="model" width={132} tickLine={false} axisLine={false} tick={{ fill: 'currentColor', fontSize: 12, width: 400 }} />
          <Bar dataKey="requests" fill="#6B46C1" radius={[0, 4, 4, 0]} isAnimationActive={false}>
            <LabelList dataKey="requests" position="right" formatter={(v) => formatCount(v)} style={{ fill: 'currentColor', fontSize: 12 }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </Box>
  )
}
