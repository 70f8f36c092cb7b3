import { Box, Text } from '@chakra-ui/react'
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { axisTop, timeTicks, valueTicks } from '../utils/chartTicks.js'
import { formatAmount, formatDateTime, formatTick } from '../utils/format.js'
import { statusOf } from '../utils/status.js'

const DAY = 86400 * 1000
const TICK_FORMATS = {
  '24h': new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  day: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }),
}

/**
 * Used against the limit: the readings, the limit as a line, and a dashed projection to the reset
 * at the current pace. Not a tab stop: the figure's label says what it shows.
 */
export default function TrendChart({ rows, quota, range, height, now, title }) {
  const last = rows[rows.length - 1]
  const reset = quota.resets_at ? Date.parse(quota.resets_at) : null
  const projected = quota.pace?.projected_used_percent != null && quota.limit ? (quota.pace.projected_used_percent / 100) * quota.limit : null
  const showProjection = projected != null && reset && reset - now <= (range === '24h' ? DAY : 7 * DAY) && reset > now
  const data = showProjection ? [...rows, { t: now, projection: quota.used, used: quota.used }, { t: reset, projection: projected }] : rows
  const start = rows[0].t
  const end = showProjection ? reset : Math.max(last.t, now)
  const top = axisTop(quota.limit, rows.map((r) => r.used), showProjection ? projected : null)
  const yTicks = valueTicks(top)
  const xTicks = timeTicks(start, end)
  const tickFormat = range === '24h' ? TICK_FORMATS['24h'] : TICK_FORMATS.day
  const format = (value) => formatAmount(value, quota.unit)
  const { palette } = statusOf(quota)
  const used = quota.unit === 'percent' ? `${format(quota.used)} used` : `${format(quota.used)} used of ${format(quota.limit)}`
  const summary = `${title}, ${quota.label}: ${used}, ${range}${showProjection ? `, on pace for ${format(projected)} at the reset` : ''}`
  return (
    <Box as="figure" m="0" role="img" aria-label={summary} color="fg.muted" fontSize="xs" colorPalette={palette}>
      <Text as="figcaption" fontSize="2xs" mb="1" aria-hidden="true">
        {quota.label}: {quota.unit === 'percent' ? '% used' : `used${quota.limit != null ? ` of ${format(quota.limit)}` : ''}`} · {range}{showProjection ? ' · dashed: at this pace' : ''}
      </Text>
      <Box height={`${height}px`} aria-hidden="true" inert>
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height }}>
          {/* top: the highest tick's label is centred on the plot's top edge; 8 px keep all of it inside the SVG. */}
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.22} vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={[start, end]} ticks={xTicks}
              tickFormatter={(ms) => tickFormat.format(new Date(ms))}
              tick={{ fill: 'currentColor', fontSize: 10 }} tickLine={false} axisLine={false} interval={0} />
            <YAxis width={48} domain={[0, yTicks[yTicks.length - 1]]} allowDataOverflow ticks={yTicks} interval={0} tickFormatter={(v) => formatTick(v, quota.unit)}
              tick={{ fill: 'currentColor', fontSize: 10 }} tickLine={false} axisLine={false} />
            <Tooltip separator=": " labelFormatter={(ms) => formatDateTime(new Date(ms).toISOString())}
              formatter={(value, name) => [format(value), name === 'projection' ? 'At this pace' : 'Used']}
              contentStyle={{ fontSize: 12 }} />
            {quota.limit != null && (
              <ReferenceLine y={quota.limit} stroke="var(--chakra-colors-red-solid)" strokeDasharray="4 2"
                label={{ value: 'limit', position: 'insideTopLeft', fill: 'currentColor', fontSize: 10 }} />
            )}
            <Line dataKey="used" stroke="var(--chakra-colors-color-palette-solid)" strokeWidth={2} dot={rows.length < 40} isAnimationActive={false} connectNulls />
            {showProjection && (
              <Line dataKey="projection" stroke="var(--chakra-colors-color-palette-solid)" strokeDasharray="5 4" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
            )}
          </LineChart>
        </ResponsiveContainer>
      </Box>
    </Box>
  )
}
