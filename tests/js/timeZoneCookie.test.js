import { afterEach, describe, expect, it, vi } from 'vitest'
import { TIME_ZONE_COOKIE, rememberTimeZone } from '../../src/utils/timeZoneCookie.js'

const cookie = () => document.cookie.split('; ').find((c) => c.startsWith(`${TIME_ZONE_COOKIE}=`))?.split('=')[1]

describe('rememberTimeZone', () => {
  afterEach(() => {
    vi.restoreAllMocks()
    document.cookie = `${TIME_ZONE_COOKIE}=; path=/; max-age=0`
  })

  it('keeps the browser\'s own time zone in the cookie the server reads', () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockReturnValue({ timeZone: 'America/New_York' })
    rememberTimeZone()
    expect(cookie()).toBe('America/New_York')
  })

  it('sets nothing, and throws nothing, where Intl has no time zone', () => {
    vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockReturnValue({})
    rememberTimeZone()
    expect(cookie()).toBeUndefined()
    vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function () { throw new RangeError('no ICU') })
    expect(() => rememberTimeZone()).not.toThrow()
    expect(cookie()).toBeUndefined()
  })
})
