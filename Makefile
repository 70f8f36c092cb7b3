.PHONY: setup dev test bench build

setup:
	@scripts/setup.sh

dev:
	@scripts/dev.sh

test:
	@scripts/test.sh

build: setup
	npm run build
