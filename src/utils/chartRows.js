// History points to chart rows for one quota. A short window (5 hours) seen over days is shown as
// each window's peak, not as raw samples, which would zigzag at 7 days and fill solid at 30.

const DAY = 86400

/** [{t, used}] oldest first, from the history route's compact rows [Unix s, used, reset Unix s or null]. */
export function chartRows(rows, quota, range) {
  const samples = rows.filter(([, used]) => used != null).map(([t, used, reset]) => ({ t: t * 1000, used, reset }))
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
