import { Box, HStack, Text } from '@chakra-ui/react'
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

function tickTime(range) {
  const options = range === '24h' ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' }
  const format = new Intl.DateTimeFormat(undefined, options)
  return (ms) => format.format(new Date(ms))
}

/** A small line chart of recorded readings; `series` says which figures and how to format them. */
export default function TrendChart({ rows, series, range, height, label }) {
  const formatTick = tickTime(range)
  const format = series[0].format
  const last = rows[rows.length - 1]
  const summary = series.map((s) => `${s.label} ${s.format(last?.[s.key])}`).join(', ')
  return (
    <Box as="figure" role="img" aria-label={`${label}, last ${range}: now ${summary}`} height={`${height}px`} color="fg.muted" fontSize="xs" position="relative">
      {series.length > 1 && (
        <HStack gap="3" position="absolute" top="0" right="2" zIndex="1" aria-hidden="true">
          {series.map((s) => (
            <HStack key={s.key} gap="1">
              <Box width="10px" height="2px" bg={s.color} />
              <Text fontSize="2xs">{s.label}</Text>
            </HStack>
          ))}
        </HStack>
      )}
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height }}>
        <LineChart data={rows} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={formatTick}
            tick={{ fill: 'currentColor', fontSize: 11 }} tickLine={false} axisLine={false} minTickGap={28} />
          <YAxis width={48} tick={{ fill: 'currentColor', fontSize: 11 }} tickLine={false} axisLine={false}
            tickFormatter={series[0].tick ?? format} />
          <Tooltip
            labelFormatter={(ms) => new Date(ms).toLocaleString()}
            formatter={(value, name) => [series.find((s) => s.key === name)?.format(value) ?? value, series.find((s) => s.key === name)?.label ?? name]}
            contentStyle={{ fontSize: 12 }}
          />
          {series.map((s) => (
            <Line key={s.key} dataKey={s.key} name={s.key} stroke={s.color} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </Box>
  )
}
