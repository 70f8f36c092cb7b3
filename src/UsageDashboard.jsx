import { SimpleGrid } from '@chakra-ui/react'
import { useDeferredValue } from 'react'
import { ChartsReadyContext } from './hooks/useChartsReady.js'

/** The grid of provider cards: one column on a phone, three on a wide screen. */
export default function UsageDashboard({ cards }) {
  // Charts (and their Recharts chunk) start once every card has its first answer, in a render of
  // their own after that (deferred), so the last card's numbers are committed first.
  const chartsReady = useDeferredValue(cards.every(({ resource }) => resource.data || resource.error))
  return (
    <ChartsReadyContext.Provider value={chartsReady}>
      <SimpleGrid columns={{ base: 1, lg: 3 }} gap="4" alignItems="stretch">
        {cards.map(({ id, title, subtitle, Card, resource }) => (
          <Card key={id} id={id} title={title} subtitle={subtitle} resource={resource} />
        ))}
      </SimpleGrid>
    </ChartsReadyContext.Provider>
  )
}
