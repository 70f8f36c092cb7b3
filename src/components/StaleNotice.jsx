import { Alert } from '@chakra-ui/react'

/** Shown above older figures when the latest refresh failed, with the reason. */
export default function StaleNotice({ error }) {
  return (
    <Alert.Root status="warning" size="sm" variant="subtle" mb="3" role="status">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title fontSize="xs">Showing the last good reading</Alert.Title>
        {error?.message && <Alert.Description fontSize="xs">{error.message}</Alert.Description>}
      </Alert.Content>
    </Alert.Root>
  )
}
