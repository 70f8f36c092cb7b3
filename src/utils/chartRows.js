// History points to chart rows for one quota. A short window (5 hours) seen over days is shown as
// each window's peak, not as raw samples, which would zigzag at 7 days and fill solid at 30.

const DAY = 86400

/** [{t, used}] oldest first. */
export function chartRows(points, quota, range) {
  const samples = []
  for (const point of points) {
    const entry = point.quotas?.[quota.id]
    if (entry && entry.used != null) samples.push({ t: Date.parse(point.t), used: entry.used, reset: entry.resets_at })
  }
  const short = quota.window_seconds && quota.window_seconds < DAY
  if (!short || range === '24h') return samples.map(({ t, used }) => ({ t, used }))
  const peaks = new Map()
  for (const sample of samples) {
    const key = sample.reset ?? sample.t
    const best = peaks.get(key)
    if (!best || sample.used >= best.used) peaks.set(key, sample)
  }
  return [...peaks.values()].sort((a, b) => a.t - b.t).map(({ t, used }) => ({ t, used }))
}
