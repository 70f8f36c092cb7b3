// The page's only provider-specific code: an optional details component per provider id. A provider
// without an entry here still gets a full card (its quotas, trend and notes) from the API's registry.
import CopilotDetails from './github_copilot.jsx'
import CodexDetails from './openai_codex.jsx'
import OpenRouterDetails from './openrouter.jsx'

export const DETAILS = {
  openrouter: OpenRouterDetails,
  github_copilot: CopilotDetails,
  openai_codex: CodexDetails,
}
