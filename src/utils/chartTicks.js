// Axis ticks a person can read: whole days at midnight, round hours, round values.

const HOUR = 3600 * 1000
const DAY = 24 * HOUR

// A label is centred on its tick, so one near the end sticks out past the chart's right edge: half of "06:00" is
// 14 px, the plot's right margin 8 px, and 5 % of a 240 px phone plot 12 px. The left has the value axis beside it.
const RIGHT_ROOM = 0.05

/** Time ticks for [start, end]: every 3/6 h across a day, midnights across a week, every 5 days across a month. */
export function timeTicks(start, end) {
  const span = end - start
  const last = end - RIGHT_ROOM * span
  const step = span <= 1.5 * DAY ? (span <= 12 * HOUR ? 3 * HOUR : 6 * HOUR) : span <= 4 * DAY ? DAY : span <= 10 * DAY ? 2 * DAY : 5 * DAY
  const first = new Date(start)
  if (step >= DAY) first.setHours(0, 0, 0, 0)
  else first.setMinutes(0, 0, 0)
  let tick = first.getTime()
  const ticks = []
  while (tick <= last) {
    const aligned = step >= DAY ? true : new Date(tick).getHours() % (step / HOUR) === 0
    if (tick >= start && aligned) ticks.push(tick)
    if (step >= DAY) {
      const next = new Date(tick)
      next.setDate(next.getDate() + step / DAY)
      tick = next.getTime()
    } else {
      tick += HOUR
    }
  }
  return ticks
}

/** 0 and up to 5 more round values covering `max`: 0, 25, 50, 75, 100; 0, 500, 1,000, 1,500. */
export function valueTicks(max) {
  if (!(max > 0)) return [0, 1]
  const power = 10 ** Math.floor(Math.log10(max / 4))
  const steps = [1, 2, 2.5, 5, 10, 20].map((m) => m * power)
  const four = steps.find((s) => s * 4 >= max) // four round intervals
  const five = steps.find((s) => s * 5 >= max) // or five, when four would leave the top half empty (101 -> 0..125)
  const step = four >= 1.5 * five ? five : four
  const ticks = []
  for (let value = 0; value < max + step; value += step) ticks.push(Number(value.toFixed(6)))
  return ticks
}

/**
 * The value axis' top: the limit, every reading, and the projection only where it is drawn, up to twice the limit
 * (a projection of 900 % would flatten the readings against the bottom; beyond the top its dashed line is cut off).
 */
export function axisTop(limit, values, drawnProjection = null) {
  const projection = drawnProjection == null ? 0 : limit ? Math.min(drawnProjection, 2 * limit) : drawnProjection
  return Math.max(limit ?? 0, ...values.filter((v) => v != null), projection)
}
