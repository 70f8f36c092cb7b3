import { describe, expect, it } from 'vitest'
import { basisText, codexForecastText, copilotForecastText, openRouterForecastText } from '../../src/utils/forecastText.js'

const NOW = Date.parse('2026-11-25T12:00:00Z')
const basis = { method: 'history', points: 12, period_days: 6.5 }

describe('basisText', () => {
  it.each([
    [basis, 'Based on 12 readings over 6.5 days'],
    [{ method: 'usage_weekly', points: 1, period_days: 2.5 }, "Based on this week's spend so far (2.5 days)"],
    [{ method: 'month_to_date', points: 3, period_days: 24.5 }, 'Based on this month so far (24.5 days)'],
    [{ method: 'window_average', points: 1, period_days: 0.125 }, 'Based on the average pace in this window (3 h)'],
  ])('%j', (input, text) => expect(basisText(input)).toBe(text))
})

describe('openRouterForecastText', () => {
  it('says when the money runs out, and warns within a week', () => {
    const far = openRouterForecastText({ spend_rate_usd_per_day: 2.61, runs_out_at: '2026-12-12T00:00:00Z', basis }, NOW)
    expect(far.text).toBe('At this pace ($2.61/day): runs out Dec 12 (in 16 days 12 h)')
    expect(far.warning).toBe(false)
    const soon = openRouterForecastText({ spend_rate_usd_per_day: 5, runs_out_at: '2026-11-28T00:00:00Z', basis }, NOW)
    expect(soon.warning).toBe(true)
  })
  it('handles no spending, no limit and no forecast', () => {
    expect(openRouterForecastText({ spend_rate_usd_per_day: 0, runs_out_at: null, basis }).text).toBe('No spending lately')
    expect(openRouterForecastText({ spend_rate_usd_per_day: 1.5, runs_out_at: null, basis }).text).toBe('Spending about $1.50/day')
    expect(openRouterForecastText(null)).toBeNull()
  })
})

describe('copilotForecastText', () => {
  const data = { monthly_limit: 300, resets_at: '2026-12-01T00:00:00Z' }
  it('projects the month end and says how far over', () => {
    const over = copilotForecastText({ projected_month_end: 410, projected_overage: 110, basis }, data)
    expect(over.text).toBe('On pace for 410 / 300 by Nov 30 — 110 over')
    expect(over.warning).toBe(true)
    const under = copilotForecastText({ projected_month_end: 180, projected_overage: 0, basis }, data)
    expect([under.text, under.warning]).toEqual(['On pace for 180 / 300 by Nov 30', false])
  })
})

describe('codexForecastText', () => {
  const weekly = { label: 'Weekly', used_percent: 58 }
  it('warns when the limit comes before the reset', () => {
    const result = codexForecastText({ hits_limit_at: '2026-11-27T12:00:00Z', projected_used_percent: 130, basis }, weekly, NOW)
    expect(result.text).toBe('Weekly limit reached in ~2 days, before the reset')
    expect(result.warning).toBe(true)
  })
  it('otherwise gives the projected percent at the reset', () => {
    const result = codexForecastText({ hits_limit_at: null, projected_used_percent: 72, basis }, weekly, NOW)
    expect(result.text).toBe('On pace for 72\u00a0% at the reset')
    expect(result.warning).toBe(false)
  })
  it('says the limit is reached when it is', () => {
    expect(codexForecastText({ hits_limit_at: null, projected_used_percent: 100, basis }, { label: '5-hour', used_percent: 100 }).text).toBe('Limit reached')
  })
})
