# gradzone — the two commands are `make run` and `make test` (see README).
SHELL := /bin/bash
BIN := bin/gradzone
GO_SOURCES := $(shell find api cmd internal migrations web -type f 2>/dev/null) go.mod go.sum

.PHONY: run test fuzz build services services-down services-reset migrate seed reindex bench bench-mail season screenshots fmt vet clean

## run: install what is missing, start the services, migrate, seed the demo, serve http://127.0.0.1:8080
run: build services
	source .data/env && $(BIN) migrate && $(BIN) seed --demo && \
	  printf '\n  site:  %s\n  mail:  %s  (Mailpit: every mail the site sends)\n\n' "$$GRADZONE_PUBLIC_URL" "$$GRADZONE_MAILPIT_URL" && \
	  exec $(BIN) serve

## test: go vet, the whole suite with -race and 10 s of each fuzz target, against throwaway Postgres, Meilisearch, Mailpit, S3 and Chromium
test:
	.ci/test

## fuzz: every Go fuzz target for 60 s each (make test runs them 10 s each)
fuzz:
	.ci/fuzz 60s

build: $(BIN)

$(BIN): $(GO_SOURCES)
	CGO_ENABLED=0 go build -trimpath -o $(BIN) ./cmd/gradzone

## services: start the private Postgres, Meilisearch, Mailpit and S3 gateway (.data/)
services:
	.ci/services up

services-down:
	.ci/services down

## services-reset: stop them and delete their data
services-reset:
	.ci/services reset

migrate: build services
	source .data/env && $(BIN) migrate

seed: build services
	source .data/env && $(BIN) migrate && $(BIN) seed --demo

reindex: build services
	source .data/env && $(BIN) reindex

## bench: benchmarks and load measurements; figures go to docs/benchmarks.md
bench: build
	.ci/bench

## bench-mail: 50,000 alert-digest mails through Mailpit with a kill -9 of serve half-way (docs/benchmarks.md)
bench-mail:
	.ci/bench-mail

## season: the 100-day national sprint simulation with faults (docs/benchmarks/season.md)
season: build
	.ci/season

## screenshots: regenerate docs/screenshots/ in headless Chromium
screenshots: build
	.ci/screenshots

fmt:
	gofmt -w cmd internal migrations

vet:
	go vet ./...

clean:
	rm -rf bin
