import { chakra } from '@chakra-ui/react'
import { useNow } from '../hooks/useNow.js'
import { formatDateTime, formatDuration } from '../utils/format.js'

/** "resets in 2 h 14 min", ticking; the exact local time is in the tooltip and a <time> element. */
export default function Countdown({ to, prefix = 'resets in' }) {
  const now = useNow(1000)
  if (!to) return <chakra.span color="fg.muted">reset time unknown</chakra.span>
  const seconds = (new Date(to).getTime() - now) / 1000
  const text = seconds > 0 ? `${prefix} ${formatDuration(seconds)}` : 'resetting now'
  return (
    <chakra.time dateTime={to} title={formatDateTime(to)} fontVariantNumeric="tabular-nums">
      {text}
    </chakra.time>
  )
}
