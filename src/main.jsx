// The page's entry, small on purpose: it runs once the document is parsed. When the server sent the cards already
// drawn, the browser paints them first; only then does the page's code (React and Chakra take ~100 ms to start here)
// take the main thread to adopt them. Without them, the code starts at once. Its chunk is preloaded from the head.
const start = () => import('./boot.jsx')

if (document.getElementById('root')?.dataset.rendered === 'server') requestAnimationFrame(() => setTimeout(start))
else start()
