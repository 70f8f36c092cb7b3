# The two commands: `make dev` runs the dashboard, `make test` runs every check.
# Without make (Windows): node scripts/dev.mjs and node scripts/test.mjs.
.PHONY: dev test build bench setup

dev:
	@node scripts/dev.mjs

test:
	@node scripts/test.mjs

setup:
	@node scripts/setup.mjs

build: setup
	@node scripts/build.mjs

bench: setup
	@node bench/run-all.mjs
