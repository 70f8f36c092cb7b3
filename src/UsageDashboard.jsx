import { SimpleGrid } from '@chakra-ui/react'

/** The grid of provider cards: one column on a phone, three on a wide screen. */
export default function UsageDashboard({ cards }) {
  return (
    <SimpleGrid columns={{ base: 1, lg: 3 }} gap="4" alignItems="stretch">
      {cards.map(({ id, title, subtitle, Card, resource }) => (
        <Card key={id} id={id} title={title} subtitle={subtitle} resource={resource} />
      ))}
    </SimpleGrid>
  )
}
