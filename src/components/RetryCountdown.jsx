import { Text } from '@chakra-ui/react'
import { useEffect, useState } from 'react'
import { formatDuration } from '../utils/format.js'

/** "You can retry in 12 s.", counting down each second (the page's own clock moves every 15 s); gone once it is time.
 * Nothing on the first render, so a server's render and the browser's agree; its clock stops at the end. */
export default function RetryCountdown({ at }) {
  const [now, setNow] = useState(null)
  useEffect(() => {
    const tick = () => {
      const time = Date.now()
      setNow(time)
      if (time >= at) clearInterval(timer)
    }
    const timer = setInterval(tick, 1000)
    tick() // a new wait starts from the real clock, not from the last tick
    return () => clearInterval(timer)
  }, [at])
  const left = now === null ? 0 : at - now
  return left > 0 ? <Text fontSize="xs" color="fg.muted" data-testid="retry-countdown">You can retry in {formatDuration(Math.ceil(left / 1000))}.</Text> : null
}
