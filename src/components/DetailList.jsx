import { Box, HStack, Stack, Text } from '@chakra-ui/react'

/** A compact list of named figures with thin bars (spend by model, products): plain elements, no chart. */
export default function DetailList({ title, rows, format, testId }) {
  if (!rows?.length) return null
  const top = Math.max(...rows.map((row) => row.value), 0) || 1
  return (
    <Box data-testid={testId}>
      <Text fontSize="xs" fontWeight="medium" color="fg.muted" mb="1">{title}</Text>
      <Stack as="ul" gap="1" listStyleType="none" m="0" p="0">
        {rows.slice(0, 5).map((row) => (
          <Box as="li" key={row.name} fontSize="xs">
            <HStack justify="space-between" gap="2">
              <Text truncate minW="0">{row.name}</Text>
              <Text fontVariantNumeric="tabular-nums" flexShrink="0">{format(row.value)}</Text>
            </HStack>
            <Box height="3px" bg="bg.muted" borderRadius="full" aria-hidden="true">
              <Box height="full" width={`${(row.value / top) * 100}%`} bg="fg.subtle" borderRadius="full" />
            </Box>
          </Box>
        ))}
      </Stack>
    </Box>
  )
}
