import { Box, SimpleGrid } from '@chakra-ui/react'
import { useDeferredValue } from 'react'
import AccountCard from './components/AccountCard.jsx'

/** The grid of account cards: one column on a phone, two on a tablet, three on a wide screen. */
export default function UsageDashboard({ cards, now, refreshEvery }) {
  // Charts (and their Recharts chunk) start once every card has its first answer, in a render of
  // their own after that (deferred, also when the page starts with every answer), so the numbers are committed first.
  const chartsReady = useDeferredValue(cards.every(({ resource }) => resource.data || resource.error), false)
  const perProvider = {}
  for (const { account } of cards) perProvider[account.provider] = (perProvider[account.provider] ?? 0) + 1
  return (
    <SimpleGrid columns={{ base: 1, md: 2, xl: 3, '2xl': 4 }} gap="4" alignItems="start">
      {cards.map(({ key, account, resource }) => (
        <Box key={key} id={`card-${key}`} scrollMarginTop="4">
          <AccountCard cardKey={key} account={account} resource={resource} now={now} chartsReady={chartsReady}
            showAccount={perProvider[account.provider] > 1} refreshEvery={refreshEvery} />
        </Box>
      ))}
    </SimpleGrid>
  )
}
