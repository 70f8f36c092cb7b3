import { Alert, Button } from '@chakra-ui/react'

const TITLES = {
  not_configured: 'Not set up yet',
  unauthorized: 'Credentials refused',
  rate_limited: 'Rate limited',
  upstream_timeout: 'Provider did not answer',
  upstream_error: 'Provider error',
  bad_upstream_payload: 'Unexpected answer',
  api_unreachable: 'API not reachable',
}

/** The error state: the API's own message, and a Retry that reloads this card only. */
export default function CardError({ error, onRetry, retrying }) {
  return (
    <Alert.Root status={error.code === 'not_configured' ? 'info' : 'error'} role="alert" alignItems="flex-start">
      <Alert.Indicator />
      <Alert.Content gap="2">
        <Alert.Title>{TITLES[error.code] ?? 'Could not load'}</Alert.Title>
        <Alert.Description wordBreak="break-word">{error.message}</Alert.Description>
        <Button size="xs" variant="outline" alignSelf="flex-start" onClick={onRetry} loading={retrying} loadingText="Retrying">
          Retry
        </Button>
      </Alert.Content>
    </Alert.Root>
  )
}
