// How full a limit is, as a level that drives color *and* words (color is never the only signal).

export const WARN_AT = 75
export const DANGER_AT = 90

const LEVELS = {
  ok: { palette: 'teal', label: 'On track' },
  warn: { palette: 'orange', label: 'Getting close' },
  danger: { palette: 'red', label: 'Almost out' },
  over: { palette: 'red', label: 'Over the limit' },
}

/** 'ok' below 75 %, 'warn' from 75 %, 'danger' past 90 %, 'over' past 100 %. */
export function usageLevel(percent) {
  if (percent == null || !Number.isFinite(percent)) return 'ok'
  if (percent > 100) return 'over'
  if (percent > DANGER_AT) return 'danger'
  if (percent >= WARN_AT) return 'warn'
  return 'ok'
}

export function levelPalette(level) {
  return LEVELS[level].palette
}

export function levelLabel(level) {
  return LEVELS[level].label
}
