import { describe, expect, it } from 'vitest'
import { levelLabel, levelPalette, usageLevel } from '../../src/utils/thresholds.js'

describe('usageLevel', () => {
  it.each([
    [0, 'ok'],
    [74.9, 'ok'],
    [75, 'warn'],
    [90, 'warn'],
    [90.1, 'danger'],
    [100, 'danger'],
    [100.5, 'over'],
    [null, 'ok'],
  ])('%s %% is %s', (percent, level) => expect(usageLevel(percent)).toBe(level))

  it('maps levels to colors and words', () => {
    expect(levelPalette('ok')).toBe('teal')
    expect(levelPalette('warn')).toBe('orange')
    expect(levelPalette('danger')).toBe('red')
    expect(levelLabel('over')).toBe('Over the limit')
  })
})
