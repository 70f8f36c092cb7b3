// jsdom lacks these browser APIs that Chakra and Recharts use.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.matchMedia ??= (query) => ({
  matches: false,
  media: query,
  addListener() {},
  removeListener() {},
  addEventListener() {},
  removeEventListener() {},
  dispatchEvent: () => false,
})
if (!Element.prototype.scrollTo) Element.prototype.scrollTo = () => {}

// jsdom lays nothing out; give elements a plausible size so charts render as in a browser.
Element.prototype.getBoundingClientRect = function getBoundingClientRect() {
  return { x: 0, y: 0, top: 0, left: 0, bottom: 160, right: 320, width: 320, height: 160, toJSON() {} }
}
