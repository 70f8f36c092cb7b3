// A quota's pace in words that answer "will this last until the reset?". The numbers come from the
// server (quotas[].pace); only relative times are worked out here, so they stay live.
import { formatAmount, formatDuration, formatPercent } from './format.js'

/** {text, basis} for a quota, or null when the server has no pace for it (too early, no data). */
export function paceText(quota, now = Date.now()) {
  const pace = quota?.pace
  if (quota?.remaining != null && quota.remaining <= 0) {
    return { text: quota.kind === 'balance' ? 'Used up' : 'Limit reached', basis: basisText(pace?.basis) }
  }
  if (!pace) return null
  const basis = basisText(pace.basis)
  const eta = pace.runs_out_at ? (new Date(pace.runs_out_at).getTime() - now) / 1000 : null
  if (quota.kind === 'balance') {
    if (eta == null) return { text: pace.rate_per_day > 0 ? `About ${formatAmount(pace.rate_per_day, quota.unit)} a day` : 'No spending lately', basis }
    return { text: `Lasts ~${formatDuration(eta)} at ${formatAmount(pace.rate_per_day, quota.unit)} a day`, basis }
  }
  const toReset = quota.resets_at ? (new Date(quota.resets_at).getTime() - now) / 1000 : null
  if (pace.lasts_to_reset === false && eta != null && toReset != null) {
    return { text: `Runs out in ~${formatDuration(eta)}, ${formatDuration(toReset - eta)} before the reset`, basis }
  }
  const ahead = pace.ahead_of_pace ? `${formatPercent(pace.delta_percent)} ahead of pace · ` : ''
  const projected = pace.projected_used_percent != null ? ` (on pace for ${formatPercent(pace.projected_used_percent)})` : ''
  return { text: `${ahead}Lasts until the reset${projected}`, basis }
}

/** "Based on 12 readings over 6.5 days": what the pace was computed from. */
export function basisText(basis) {
  if (!basis) return ''
  const span = basis.period_days >= 1 ? `${Number(basis.period_days.toFixed(1))} days` : formatDuration(basis.period_days * 86400)
  switch (basis.method) {
    case 'history':
      return `Based on ${basis.points} readings over ${span}`
    case 'usage_weekly':
      return `Based on this week's spend so far (${span})`
    case 'month_to_date':
    case 'window_average':
      return `Based on the average pace in this window (${span})`
    default:
      return ''
  }
}
