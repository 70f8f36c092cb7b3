// The server decides each quota's status; these are its colour and its words, in one place, so
// the bar, the badge, the summary chip and the aria label can never disagree.

export const STATUS = {
  ok: { palette: 'green', label: 'On track' },
  warning: { palette: 'orange', label: 'Watch it' },
  critical: { palette: 'red', label: 'At risk' },
  unknown: { palette: 'gray', label: 'Unknown' },
}

export function statusOf(quota) {
  return STATUS[quota?.status] ?? STATUS.unknown
}

/** The label a quota's status earns: "Limit reached" says more than "At risk" once it is true. */
export function statusLabel(quota) {
  if (quota?.status === 'critical' && quota.remaining != null && quota.remaining <= 0) {
    return quota.kind === 'balance' ? 'Used up' : 'Limit reached'
  }
  return statusOf(quota).label
}

/** A failed read as its card and its summary chip show it: a setting to fix (the alert's warning, orange, "Fix
 * needed"; Retry cannot help) or a read that failed (its error, red, "Failing"). The API says which (transient). */
export function errorStatus(error) {
  return error?.transient === false
    ? { needsFix: true, alert: 'warning', palette: 'orange', label: 'Fix needed' }
    : { needsFix: false, alert: 'error', palette: 'red', label: 'Failing' }
}
