// `node scripts/setup.mjs`: create .venv and node_modules, or bring them up to date.
import { setup } from './lib.mjs'

setup()
