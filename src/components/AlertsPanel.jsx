import { Badge, Box, Button, HStack, Stack, Text } from '@chakra-ui/react'
import { memo, useState } from 'react'
import { useAlerts } from '../hooks/useAlerts.js'
import { formatAgo, formatDateTime } from '../utils/format.js'

const PALETTE = {
  threshold: 'orange', runs_out_before_reset: 'orange', balance_low: 'orange', limit_reached: 'red',
  credentials_failed: 'red', provider_unavailable: 'red', reset: 'green', recovered: 'green',
}

/** The alerts the API recorded (latest first), an unread count, and browser notifications on request. */
function AlertsPanel({ now, version }) {
  const { events, unread, markRead, permission, askPermission } = useAlerts({ version })
  const [open, setOpen] = useState(false)
  const toggle = () => {
    if (!open) markRead()
    setOpen(!open)
  }
  return (
    <Box as="section" aria-label="Alerts" data-testid="alerts">
      <HStack gap="2">
        <Button size="sm" variant="outline" onClick={toggle} aria-expanded={open} aria-controls="alerts-list">
          Alerts{unread > 0 && <Badge colorPalette="red" variant="solid" data-testid="alerts-unread">{unread}</Badge>}
        </Button>
        {permission === 'default' && (
          <Button size="sm" variant="ghost" onClick={askPermission}>Notify me</Button>
        )}
      </HStack>
      {open && (
        <Box id="alerts-list" mt="2" p="3" borderWidth="1px" borderRadius="md" bg="bg.panel" maxW="xl">
          {events.length === 0 ? (
            <Text fontSize="sm" color="fg.muted">
              No alerts yet. They are sent when a quota passes 80 % or 95 %, will run out before its reset, or a provider stops answering.
            </Text>
          ) : (
            <Stack as="ol" gap="2" listStyleType="none" m="0" p="0">
              {events.map((event) => (
                <Box as="li" key={event.id} fontSize="sm" data-event={event.event}>
                  <HStack gap="2" align="baseline">
                    <Badge colorPalette={PALETTE[event.event] ?? 'gray'} flexShrink="0">{event.event.replaceAll('_', ' ')}</Badge>
                    <Text>{event.message}</Text>
                  </HStack>
                  <Text fontSize="xs" color="fg.muted" title={formatDateTime(event.at)}>{formatAgo(event.at, now)}</Text>
                </Box>
              ))}
            </Stack>
          )}
        </Box>
      )}
    </Box>
  )
}

export default memo(AlertsPanel)
