import { Code, Link } from '@chakra-ui/react'

const TOKEN = /(`[^`]+`|https?:\/\/[^\s)]+[^\s).,;:])/g

/** A server message with `code` shown as code and URLs as links; everything else is plain text. */
export default function RichText({ text }) {
  const parts = String(text ?? '').split(TOKEN)
  return parts.map((part, index) => {
    // Grey, whatever the palette around it: in an orange or red alert, the alert's own subtle colour would hide it.
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return <Code key={index} size="sm" colorPalette="gray">{part.slice(1, -1)}</Code>
    if (/^https?:\/\//.test(part)) return <Link key={index} href={part} target="_blank" rel="noreferrer" colorPalette="blue" variant="underline">{part}</Link>
    return part
  })
}
