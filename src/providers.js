// The providers on the page, in order. A new provider is one entry here plus its card component.
import { ENDPOINTS } from './api/endpoints.js'
import CodexCard from './components/CodexCard.jsx'
import CopilotCard from './components/CopilotCard.jsx'
import OpenRouterCard from './components/OpenRouterCard.jsx'

export const PROVIDERS = [
  { id: 'openrouter', title: 'OpenRouter', subtitle: 'Credits and key limit', url: ENDPOINTS.openrouter, Card: OpenRouterCard },
  { id: 'copilot', title: 'GitHub Copilot', subtitle: 'Premium requests this month', url: ENDPOINTS.copilot, Card: CopilotCard },
  { id: 'codex', title: 'ChatGPT Codex', subtitle: 'Usage limits', url: ENDPOINTS.codex, Card: CodexCard },
]
