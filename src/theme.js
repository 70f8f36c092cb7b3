// A Chakra system with only the recipes this page uses, so the first paint ships less JavaScript.
import { createSystem, defaultBaseConfig, defineConfig, mergeConfigs } from '@chakra-ui/react'
import {
  alertSlotRecipe,
  animationStyles,
  badgeRecipe,
  breakpoints,
  buttonRecipe,
  cardSlotRecipe,
  codeRecipe,
  linkRecipe,
  cssVarsPrefix,
  cssVarsRoot,
  globalCss,
  headingRecipe,
  keyframes,
  layerStyles,
  semanticTokens,
  skeletonRecipe,
  spinnerRecipe,
  textStyles,
  tokens,
} from '@chakra-ui/react/theme'

const config = defineConfig({
  preflight: true,
  cssVarsPrefix,
  cssVarsRoot,
  globalCss: {
    ...globalCss,
    html: { ...globalCss.html, colorPalette: 'teal' },
    body: { bg: 'bg.subtle' },
  },
  theme: {
    breakpoints,
    keyframes,
    tokens: {
      ...tokens,
      fonts: {
        heading: { value: "Inter, 'Segoe UI', system-ui, -apple-system, Roboto, sans-serif" },
        body: { value: "Inter, 'Segoe UI', system-ui, -apple-system, Roboto, sans-serif" },
        mono: { value: "'JetBrains Mono', ui-monospace, SFMono-Regular, Menlo, monospace" },
      },
    },
    semanticTokens,
    textStyles,
    layerStyles,
    animationStyles,
    recipes: {
      badge: badgeRecipe, button: buttonRecipe, code: codeRecipe, heading: headingRecipe, link: linkRecipe,
      skeleton: skeletonRecipe, spinner: spinnerRecipe,
    },
    slotRecipes: { alert: alertSlotRecipe, card: cardSlotRecipe },
  },
})

export const system = createSystem(mergeConfigs(defaultBaseConfig, config))

/**
 * The system as the page uses it. A production build links the same reset, global and token CSS as a prebuilt
 * stylesheet (scripts/chakra-static-css.mjs), so the provider must not compute and insert it again.
 */
export function withPrebuiltCss(sys, doc = globalThis.document) {
  return doc?.querySelector('link[data-chakra-prebuilt]') ? prebuilt(sys) : sys
}

/** The system for a page that links the prebuilt stylesheet. */
export function prebuilt(sys) {
  Object.defineProperty(sys, '_global', { value: [] })
  sys._config = { ...sys._config, disableLayers: true } // the prebuilt sheet already declares the layer order
  return sys
}
