import { Alert, Button, Text } from '@chakra-ui/react'
import { errorStatus } from '../utils/status.js'
import RetryCountdown from './RetryCountdown.jsx'
import RichText from './RichText.jsx'

/**
 * The error state: the API's own title and message. A setting that needs fixing says so (Retry
 * cannot fix it); a passing failure offers Retry and counts down to when trying again makes sense.
 */
export default function CardError({ error, onRetry, retrying }) {
  const { needsFix, alert } = errorStatus(error)
  const retryAt = error.retryAfterSeconds && error.receivedAt ? error.receivedAt + error.retryAfterSeconds * 1000 : null
  return (
    // surface: the palette's border too, so a red failure and an orange setting to fix differ in dark mode as well.
    <Alert.Root status={alert} variant="surface" role="alert" alignItems="flex-start" data-code={error.code}>
      <Alert.Indicator />
      <Alert.Content gap="2">
        <Alert.Title>{error.title ?? 'Could not load'}</Alert.Title>
        <Alert.Description wordBreak="break-word"><RichText text={error.message} /></Alert.Description>
        {/* Check again re-reads the login files; settings (.env, the environment, the properties file) are read at start. */}
        {needsFix && <Text fontSize="xs" color="fg.muted">Fix it, then check again. A changed setting (.env, the settings file) counts once the API restarts.</Text>}
        {retryAt && <RetryCountdown at={retryAt} />}
        <Button size="xs" variant="outline" alignSelf="flex-start" onClick={onRetry} loading={retrying} loadingText="Retrying">
          {needsFix ? 'Check again' : 'Retry'}
        </Button>
      </Alert.Content>
    </Alert.Root>
  )
}
