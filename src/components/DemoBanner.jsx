import { Alert } from '@chakra-ui/react'

/** Says plainly that the numbers are samples, and how to see real ones. */
export default function DemoBanner() {
  return (
    <Alert.Root status="info" variant="surface" role="status" data-testid="demo-banner">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>Demo data</Alert.Title>
        <Alert.Description>
          These numbers are samples. Put your tokens in .env (see README, “Configuration”) and restart to see your own usage.
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  )
}
