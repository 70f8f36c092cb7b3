// The page's entry, small on purpose: it runs once the document is parsed. When the server sent the cards already
// drawn, the browser paints them first; only then does the page's code (React and Chakra take ~100 ms to start here)
// take the main thread to adopt them. Without them, the code starts at once. Its chunk is preloaded from the head.
let started = false
const start = () => {
  if (!started) import('./boot.jsx')
  started = true
}

if (document.getElementById('root')?.dataset.rendered === 'server' && !document.hidden) {
  requestAnimationFrame(() => setTimeout(start))
  setTimeout(start, 100) // no frame comes (a tab hidden meanwhile): start anyway
} else {
  start()
}
