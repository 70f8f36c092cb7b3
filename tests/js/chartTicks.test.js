import { describe, expect, it } from 'vitest'
import { chartRows } from '../../src/utils/chartRows.js'
import { axisTop, timeTicks, valueTicks } from '../../src/utils/chartTicks.js'

const HOUR = 3600 * 1000
const DAY = 24 * HOUR

describe('time ticks', () => {
  it.each([
    ['a fresh history of 20 minutes', 20 * 60 * 1000, 0, 59],
    ['24 hours', DAY, 3, 59],
    ['7 days', 7 * DAY, 3, 0],
    ['30 days', 30 * DAY, 3, 0],
  ])('%s: distinct, ordered, round', (_, span, fewest, latestHour) => {
    const end = Date.parse('2026-11-25T14:06:00')
    const ticks = timeTicks(end - span, end)
    expect(new Set(ticks).size).toBe(ticks.length)
    expect([...ticks].sort((a, b) => a - b)).toEqual(ticks)
    expect(ticks.every((tick) => new Date(tick).getMinutes() === 0)).toBe(true)
    expect(ticks.every((tick) => new Date(tick).getHours() <= latestHour)).toBe(true) // whole days at midnight
    expect(ticks.length).toBeGreaterThanOrEqual(fewest)
    expect(ticks.length).toBeLessThanOrEqual(9)
  })
})

describe('time ticks near the end', () => {
  it.each([['24 hours', DAY], ['7 days', 7 * DAY], ['30 days', 30 * DAY]])('%s: no tick in the last twentieth of the span (its label would be cut off), at any time of day', (_, span) => {
    const day = Date.parse('2026-12-07T00:00:00')
    for (let end = day; end < day + DAY; end += 10 * 60 * 1000) {
      const ticks = timeTicks(end - span, end)
      expect(ticks.length).toBeGreaterThanOrEqual(3)
      expect(ticks.filter((tick) => tick > end - 0.05 * span)).toEqual([])
    }
  })
})

describe('value ticks', () => {
  it.each([
    [300, [0, 100, 200, 300]],
    [100, [0, 25, 50, 75, 100]],
    [150, [0, 50, 100, 150]],
    [1500, [0, 500, 1000, 1500]],
    [38.2, [0, 10, 20, 30, 40]],
    [101, [0, 25, 50, 75, 100, 125]],
  ])('%s -> %j', (max, expected) => expect(valueTicks(max)).toEqual(expected))
})

describe('chart rows', () => {
  const fiveHour = { id: 'primary', window_seconds: 18000 }
  const hour = (h) => Date.parse('2026-11-24T00:00:00Z') / 1000 + h * 3600
  const points = [[hour(1), 10, hour(5)], [hour(4), 70, hour(5)], [hour(6), 5, hour(10)], [hour(9), 40, hour(10)]]
  it('shows a 5-hour window as per-window peaks over days', () => {
    expect(chartRows(points, fiveHour, '7d').map((r) => r.used)).toEqual([70, 40])
  })
  it('shows raw readings over 24 hours', () => {
    expect(chartRows(points, fiveHour, '24h').map((r) => r.used)).toEqual([10, 70, 5, 40])
  })
})

describe('axisTop', () => {
  it('leaves out a projection that is not drawn, so the readings are not flattened by it', () => {
    expect(axisTop(50, [18.7, 12])).toBe(50)
  })
  it('takes a drawn projection up to twice the limit', () => {
    expect(axisTop(50, [18.7], 62)).toBe(62)
    expect(axisTop(50, [18.7], 474)).toBe(100)
  })
  it('takes readings above the limit, and any projection when there is no limit', () => {
    expect(axisTop(1500, [1620, null])).toBe(1620)
    expect(axisTop(null, [3], 9)).toBe(9)
  })
})
