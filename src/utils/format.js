// Pure display formatters. Every function takes an optional locale so tests are deterministic.

const NBSP = '\u00a0'

// Building an Intl formatter costs far more than using one: keep one per locale and options.
const formatters = new Map()
const MOST_FORMATTERS = 200 // a server renders for many browsers: their locales must not grow this for ever
let defaultLocale // the runtime's own, unless set: the language the browser asked the server for
let defaultTimeZone // the runtime's own, unless set: the server renders times in the browser's time zone

/** The locale of formatters called without one; one Intl does not know (or none) means the runtime's default. */
export function setDefaultLocale(locale) {
  try {
    defaultLocale = locale ? Intl.getCanonicalLocales(locale)[0] : undefined
  } catch {
    defaultLocale = undefined
  }
}

/** The time zone dates and times are written in; one Intl does not know (or none) means the runtime's own. */
export function setDefaultTimeZone(timeZone) {
  try {
    defaultTimeZone = timeZone ? new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone : undefined
  } catch {
    defaultTimeZone = undefined
  }
}

function cached(Kind, locale = defaultLocale, options) {
  if (defaultTimeZone && Kind === Intl.DateTimeFormat) options = { timeZone: defaultTimeZone, ...options }
  const key = `${Kind.name}|${locale ?? ''}|${JSON.stringify(options)}`
  let formatter = formatters.get(key)
  if (!formatter) {
    if (formatters.size >= MOST_FORMATTERS) formatters.clear()
    formatter = new Kind(locale, options)
    formatters.set(key, formatter)
  }
  return formatter
}

/**
 * Build the formatters a first render uses. The first Intl formatter of a page costs tens of milliseconds (the
 * browser loads its locale data); the page calls this while it waits for the rest of the document.
 */
export function prepareFormatters(locale) {
  formatCount(1, locale)
  formatTime(0, locale)
}

/** "$31.27" — two decimals and a currency symbol; null shows as an em dash. */
export function formatMoney(value, locale) {
  if (value == null || !Number.isFinite(value)) return '—'
  return cached(Intl.NumberFormat, locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value)
}

/** "1,500" — grouped whole numbers, at most one decimal for fractions. */
export function formatCount(value, locale) {
  if (value == null || !Number.isFinite(value)) return '—'
  return cached(Intl.NumberFormat, locale, { maximumFractionDigits: Number.isInteger(value) ? 0 : 1 }).format(value)
}

/** "37 %" — no noise: whole percents, one decimal only below 10 when it matters. */
export function formatPercent(value, locale) {
  if (value == null || !Number.isFinite(value)) return '—'
  const digits = Math.abs(value) < 10 && !Number.isInteger(value) ? 1 : 0
  const rounded = Number(value.toFixed(digits))
  return `${cached(Intl.NumberFormat, locale, { maximumFractionDigits: digits }).format(rounded)}${NBSP}%`
}

/**
 * "2 h 10 min", "1 d 16 h", "39 days", "45 s" — rounded as a person would say it: the larger the
 * duration, the coarser (no "39 days 4 h"). Shared words: tests/fixtures/pace-words.json.
 */
export function formatDuration(totalSeconds) {
  if (totalSeconds == null || !Number.isFinite(totalSeconds)) return '—'
  const seconds = Math.max(0, Math.round(totalSeconds))
  if (seconds >= 3 * 86400) return `${Math.round(seconds / 86400)} days`
  const days = Math.floor(seconds / 86400)
  const hours = Math.floor((seconds % 86400) / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  if (days) return hours ? `${days} d ${hours} h` : `${days} d`
  if (hours >= 10) return `${hours} h`
  if (hours) return minutes ? `${hours} h ${minutes} min` : `${hours} h`
  if (minutes >= 10) return `${minutes} min`
  if (minutes) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`
  return `${seconds} s`
}

const UNIT_WORDS = { ai_credits: 'credits', premium_requests: 'requests' }

/** A quota amount in its unit: "$31.27", "37 %", "231 credits", "231 requests". */
export function formatAmount(value, unit, locale) {
  if (value == null || !Number.isFinite(value)) return '—'
  if (unit === 'usd') return formatMoney(value, locale)
  if (unit === 'percent') return formatPercent(value, locale)
  return `${formatCount(value, locale)} ${UNIT_WORDS[unit] ?? unit}`
}

/** An axis tick: "$150", "100 %", "1,500" (the axis title names the unit). */
export function formatTick(value, unit, locale) {
  if (value == null || !Number.isFinite(value)) return ''
  if (unit === 'usd') return cached(Intl.NumberFormat, locale, { style: 'currency', currency: 'USD', maximumFractionDigits: value < 10 && !Number.isInteger(value) ? 2 : 0 }).format(value)
  if (unit === 'percent') return formatPercent(value, locale)
  return formatCount(value, locale)
}

/** "Fri 14:00" — a reset's local weekday and time, or a date when it is a week or more away. */
export function formatResetTime(iso, now = Date.now(), locale) {
  if (!iso) return '—'
  const far = new Date(iso).getTime() - now > 6 * 86400 * 1000
  const options = far ? { month: 'short', day: 'numeric' } : { weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
  return cached(Intl.DateTimeFormat, locale, options).format(new Date(iso))
}

/** "resets Fri 14:00 · in 2 d 3 h": both the moment and the margin. */
export function formatReset(iso, now = Date.now(), locale) {
  if (!iso) return 'no reset'
  const seconds = (new Date(iso).getTime() - now) / 1000
  if (seconds <= 0) return 'resetting now'
  return `resets ${formatResetTime(iso, now, locale)} · in ${formatDuration(seconds)}`
}

/** "Dec 1" in the user's locale (UTC dates, since resets are UTC instants). */
export function formatDate(iso, locale, { utc = false } = {}) {
  if (!iso) return '—'
  const options = { month: 'short', day: 'numeric' }
  if (utc) options.timeZone = 'UTC'
  return cached(Intl.DateTimeFormat, locale, options).format(new Date(iso))
}

/** "Tue, Dec 1, 14:05" — a full local date and time for tooltips. */
export function formatDateTime(iso, locale) {
  if (!iso) return '—'
  return cached(Intl.DateTimeFormat, locale, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso))
}

/** "14:05" — a local clock time. */
export function formatTime(date, locale) {
  if (!date) return '—'
  return cached(Intl.DateTimeFormat, locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(date))
}

/** "just now", "3 min ago", "2 h ago" — how old a reading is. */
export function formatAgo(iso, now = Date.now()) {
  if (!iso) return '—'
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000)
  if (seconds < 45) return 'just now'
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`
  return `${Math.round(seconds / 86400)} days ago`
}

/** "in 6 days" from now to a future instant, whole days past 48 hours. */
export function formatIn(iso, now = Date.now()) {
  if (!iso) return '—'
  const seconds = (new Date(iso).getTime() - now) / 1000
  if (seconds <= 0) return 'now'
  return `in ${formatDuration(seconds)}`
}
