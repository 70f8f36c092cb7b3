import { Box, IconButton } from '@chakra-ui/react'
import { useColorMode } from '../hooks/useColorMode.js'

const SUN = 'M12 4V2m0 20v-2m8-8h2M2 12h2m13.66-5.66 1.41-1.41M4.93 19.07l1.41-1.41m0-11.32L4.93 4.93m14.14 14.14-1.41-1.41M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10Z'
const MOON = 'M21 12.79A9 9 0 1 1 11.21 3 7 7 0 0 0 21 12.79Z'
const LABELS = { dark: ['Switch to light mode', 'Light mode'], light: ['Switch to dark mode', 'Dark mode'] }

/** One icon; CSS picks it from the page's class, so it is right before the mode is known (a server-rendered paint). */
function Icon({ path, shownIn }) {
  return (
    <Box as="span" display={shownIn === 'dark' ? 'none' : 'contents'} _dark={{ display: shownIn === 'dark' ? 'contents' : 'none' }}>
      <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
        <path d={path} />
      </svg>
    </Box>
  )
}

/** Switches light/dark; the first choice follows the system setting. */
export default function ColorModeButton() {
  const { mode, setMode } = useColorMode()
  const [label, title] = LABELS[mode] ?? ['Switch light or dark mode', 'Light or dark mode']
  return (
    <IconButton variant="ghost" size="sm" aria-label={label} title={title} onClick={() => setMode(mode === 'dark' ? 'light' : 'dark')}>
      <Icon path={SUN} shownIn="dark" />
      <Icon path={MOON} shownIn="light" />
    </IconButton>
  )
}
