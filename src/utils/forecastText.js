// Forecasts in words. Each returns {text, warning, basis} or null when there is no forecast.
import { formatCount, formatDate, formatDuration, formatIn, formatMoney, formatPercent } from './format.js'

const WEEK_MS = 7 * 24 * 3600 * 1000

/** "Based on 12 readings over 6.5 days" — what the pace was computed from. */
export function basisText(basis) {
  if (!basis) return ''
  const days = basis.period_days
  const span = days >= 1 ? `${Number(days.toFixed(1))} days` : formatDuration(days * 86400)
  switch (basis.method) {
    case 'history':
      return `Based on ${basis.points} readings over ${span}`
    case 'usage_weekly':
      return `Based on this week's spend so far (${span})`
    case 'month_to_date':
      return `Based on this month so far (${span})`
    case 'window_average':
      return `Based on the average pace in this window (${span})`
    default:
      return ''
  }
}

export function openRouterForecastText(forecast, now = Date.now()) {
  if (!forecast) return null
  const rate = `${formatMoney(forecast.spend_rate_usd_per_day)}/day`
  const basis = basisText(forecast.basis)
  if (forecast.spend_rate_usd_per_day <= 0) return { text: 'No spending lately', warning: false, basis }
  if (!forecast.runs_out_at) return { text: `Spending about ${rate}`, warning: false, basis }
  const soon = new Date(forecast.runs_out_at).getTime() - now < WEEK_MS
  return {
    text: `At this pace (${rate}): runs out ${formatDate(forecast.runs_out_at)} (${formatIn(forecast.runs_out_at, now)})`,
    warning: soon,
    basis,
  }
}

export function copilotForecastText(forecast, data) {
  if (!forecast) return null
  const lastDay = new Date(new Date(data.resets_at).getTime() - 1000).toISOString()
  const over = forecast.projected_overage
  const head = `On pace for ${formatCount(forecast.projected_month_end)} / ${formatCount(data.monthly_limit)} by ${formatDate(lastDay, undefined, { utc: true })}`
  return {
    text: over > 0 ? `${head} — ${formatCount(over)} over` : head,
    warning: over > 0,
    basis: basisText(forecast.basis),
  }
}

export function codexForecastText(windowForecast, window, now = Date.now()) {
  if (!windowForecast) return null
  const basis = basisText(windowForecast.basis)
  if (window.used_percent >= 100) return { text: 'Limit reached', warning: true, basis }
  if (windowForecast.hits_limit_at) {
    const seconds = (new Date(windowForecast.hits_limit_at).getTime() - now) / 1000
    return { text: `${window.label} limit reached in ~${formatDuration(seconds)}, before the reset`, warning: true, basis }
  }
  return { text: `On pace for ${formatPercent(windowForecast.projected_used_percent)} at the reset`, warning: false, basis }
}
