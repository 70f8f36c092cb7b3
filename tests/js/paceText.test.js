import { describe, expect, it } from 'vitest'
import table from '../fixtures/pace-words.json'
import { basisText, paceText } from '../../src/utils/paceText.js'
import { STATUS, statusLabel, statusOf } from '../../src/utils/status.js'

const plain = (text) => text?.replaceAll('\u00a0', ' ') ?? null

describe('pace in words (tests/fixtures/pace-words.json)', () => {
  const now = Date.parse(table.now)
  it.each(table.cases.map((c) => [c.name, c]))('%s', (_, { quota, text }) => {
    expect(plain(paceText(quota, now)?.text)).toBe(text)
  })
})

describe('basis', () => {
  it('says what the pace was computed from', () => {
    expect(basisText({ method: 'history', points: 12, period_days: 6.54 })).toBe('Based on 12 readings over 6.5 days')
    expect(basisText({ method: 'window_average', points: 1, period_days: 0.125 })).toBe('Based on the average pace in this window (3 h)')
    expect(basisText(null)).toBe('')
  })
})

describe('status', () => {
  it('has one colour and one word per server status', () => {
    expect(Object.keys(STATUS)).toEqual(['ok', 'warning', 'critical', 'unknown'])
    expect(new Set(Object.values(STATUS).map((s) => s.palette)).size).toBe(4)
    expect(statusOf({ status: 'bogus' })).toBe(STATUS.unknown)
  })
  it('says a reached limit plainly', () => {
    expect(statusLabel({ status: 'critical', remaining: 0, kind: 'window' })).toBe('Limit reached')
    expect(statusLabel({ status: 'critical', remaining: 0, kind: 'balance' })).toBe('Used up')
    expect(statusLabel({ status: 'critical', remaining: 5, kind: 'window' })).toBe('At risk')
  })
})
