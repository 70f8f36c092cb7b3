import { Alert, Code } from '@chakra-ui/react'
import { API_BASE } from '../api/endpoints.js'

/** Said once for the page, not on every card: the API is not answering, at this address. */
export default function ApiBanner() {
  return (
    <Alert.Root status="error" role="alert" data-testid="api-banner">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>Cannot reach the dashboard API</Alert.Title>
        <Alert.Description>
          Tried <Code size="sm">{API_BASE || window.location.origin}</Code>. Start it with <Code size="sm">make dev</Code> (or{' '}
          <Code size="sm">.venv/bin/python run_api.py</Code>); if it runs on another port, set <Code size="sm">VITE_API_BASE_URL</Code>.
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  )
}
