import { HStack, Text, VisuallyHidden } from '@chakra-ui/react'

/** One forecast sentence; a warning is colored *and* starts with a warning sign. */
export default function ForecastLine({ forecast, testId }) {
  if (!forecast) return null
  return (
    <HStack gap="1.5" align="flex-start" data-testid={testId} data-warning={forecast.warning} title={forecast.basis}>
      <Text as="span" aria-hidden="true" fontSize="xs" color={forecast.warning ? 'fg.warning' : 'fg.muted'}>
        {forecast.warning ? '⚠' : '↗'}
      </Text>
      <Text fontSize="xs" color={forecast.warning ? 'fg.warning' : 'fg.muted'} fontWeight={forecast.warning ? 'semibold' : 'normal'}>
        {forecast.warning && <VisuallyHidden>Warning: </VisuallyHidden>}
        {forecast.text}
      </Text>
    </HStack>
  )
}
