import { Text } from '@chakra-ui/react'
import { useNow } from '../hooks/useNow.js'
import { formatDuration } from '../utils/format.js'

/** "You can retry in 12 s.", counting down each second (the page's own clock moves every 15 s); gone once it is time. */
export default function RetryCountdown({ at }) {
  const now = useNow(1000)
  const left = at - now
  return left > 0 ? <Text fontSize="xs" color="fg.muted" data-testid="retry-countdown">You can retry in {formatDuration(Math.ceil(left / 1000))}.</Text> : null
}
