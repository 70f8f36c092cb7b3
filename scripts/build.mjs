// `npm run build`, `make build`, and the build step of `make test` and `make bench`: the page (dist/), then its
// server-side render (dist-server/worker.mjs). Extra arguments go to both builds (`--logLevel warn`).
import { nodeBin, run } from './lib.mjs'

const extra = process.argv.slice(2)
run(nodeBin('vite'), ['build', ...extra])
run(nodeBin('vite'), ['build', '--ssr', ...extra])
