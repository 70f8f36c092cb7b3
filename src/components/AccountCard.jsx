import { Box, Stack, Text } from '@chakra-ui/react'
import { memo } from 'react'
import { DETAILS } from '../providers/index.js'
import ProviderCard from './ProviderCard.jsx'
import QuotaRow from './QuotaRow.jsx'
import TrendHistory from './TrendHistory.jsx'

/** One account's card: every quota the API reports, the provider's extras, notes, and the trend. */
function AccountCard({ cardKey, account, showAccount, resource, now, chartsReady, refreshEvery }) {
  const Details = DETAILS[account.provider]
  return (
    <ProviderCard cardKey={cardKey} title={account.title} subtitle={account.subtitle} resource={resource} now={now}
      accountName={showAccount ? account.account : null} refreshEvery={refreshEvery}>
      {(data) => (
        <Stack gap="3">
          {data.quotas.length === 0 && (
            <Text fontSize="sm" color="fg.muted">Nothing here can run out: no limit or balance was reported.</Text>
          )}
          {data.quotas.map((quota) => (
            <QuotaRow key={quota.id} quota={quota} now={now} title={account.title} />
          ))}
          {Details && <Details data={data} />}
          {data.partial && (
            <Box as="ul" fontSize="xs" color="fg.muted" pl="4" data-testid={`notes-${cardKey}`}>
              {data.notes.map((note) => <li key={note}>{note}</li>)}
            </Box>
          )}
          {data.quotas.length > 0 && (
            <TrendHistory cardKey={cardKey} account={account} data={data} now={now} ready={chartsReady} />
          )}
        </Stack>
      )}
    </ProviderCard>
  )
}

// A card re-renders only when its own resource (or the minute) changes, not when a sibling's data lands.
export default memo(AccountCard)
