import { describe, expect, it } from 'vitest'
import {
  formatAgo, formatAmount, formatCount, formatDate, formatDuration, formatIn, formatMoney, formatPercent, formatReset, formatTick,
} from '../../src/utils/format.js'

const NBSP = '\u00a0'

describe('formatMoney', () => {
  it.each([
    [31.2745, '$31.27'],
    [0, '$0.00'],
    [1234567.891, '$1,234,567.89'],
    [-2.5, '-$2.50'],
  ])('%s -> %s', (value, expected) => expect(formatMoney(value, 'en-US')).toBe(expected))
  it('shows a dash for missing values', () => {
    expect(formatMoney(null)).toBe('—')
    expect(formatMoney(Number.NaN)).toBe('—')
  })
})

describe('formatPercent', () => {
  it.each([
    [37, `37${NBSP}%`],
    [37.000001, `37${NBSP}%`],
    [49.67, `50${NBSP}%`],
    [4.25, `4.3${NBSP}%`],
    [0, `0${NBSP}%`],
    [130, `130${NBSP}%`],
  ])('%s -> %s', (value, expected) => expect(formatPercent(value, 'en-US')).toBe(expected))
})

describe('formatCount', () => {
  it('groups thousands and keeps one decimal for fractions', () => {
    expect(formatCount(1500, 'en-US')).toBe('1,500')
    expect(formatCount(12.25, 'en-US')).toBe('12.3')
    expect(formatCount(undefined)).toBe('—')
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [125, '2 min 5 s'],
    [300, '5 min'],
    [600, '10 min'],
    [3600, '1 h'],
    [8040, '2 h 14 min'],
    [36000, '10 h'],
    [86400, '1 d'],
    [144000, '1 d 16 h'],
    [518400, '6 days'],
    [39 * 86400 + 4 * 3600, '39 days'],
    [-5, '0 s'],
  ])('%s s -> %s', (seconds, expected) => expect(formatDuration(seconds)).toBe(expected))
})

describe('amounts, ticks and resets', () => {
  it('names the unit', () => {
    expect(formatAmount(31.2745, 'usd', 'en-US')).toBe('$31.27')
    expect(formatAmount(231, 'ai_credits', 'en-US')).toBe('231 credits')
    expect(formatAmount(231, 'premium_requests', 'en-US')).toBe('231 requests')
    expect(formatAmount(37, 'percent', 'en-US')).toBe(`37${NBSP}%`)
    expect(formatAmount(null, 'usd')).toBe('—')
  })
  it('keeps axis ticks short', () => {
    expect(formatTick(150, 'usd', 'en-US')).toBe('$150')
    expect(formatTick(1500, 'ai_credits', 'en-US')).toBe('1,500')
  })
  it('gives a reset both its moment and its margin', () => {
    const now = Date.parse('2026-11-25T12:00:00Z')
    expect(formatReset('2026-11-27T15:00:00Z', now, 'en-US')).toMatch(/^resets \w{3} \d\d:\d\d · in 2 d 3 h$/)
    expect(formatReset('2026-12-20T00:00:00Z', now, 'en-US')).toMatch(/^resets Dec \d+ · in 25 days$/)
    expect(formatReset(null, now)).toBe('no reset')
  })
})

describe('dates', () => {
  it('formats a UTC reset date in the locale', () => {
    expect(formatDate('2026-12-01T00:00:00Z', 'en-US', { utc: true })).toBe('Dec 1')
  })
  it('says how far away a moment is', () => {
    const now = Date.parse('2026-11-25T00:00:00Z')
    expect(formatIn('2026-12-01T00:00:00Z', now)).toBe('in 6 days')
    expect(formatIn('2026-11-24T00:00:00Z', now)).toBe('now')
  })
  it('says how old a reading is', () => {
    const now = Date.parse('2026-11-25T12:00:00Z')
    expect(formatAgo('2026-11-25T11:59:50Z', now)).toBe('just now')
    expect(formatAgo('2026-11-25T11:57:00Z', now)).toBe('3 min ago')
    expect(formatAgo('2026-11-25T09:00:00Z', now)).toBe('3 h ago')
  })
})
