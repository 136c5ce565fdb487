# hub: build, test and run. `make test` is what CI runs (.ci/run); each step prints its duration.
# Test tools (OpenTofu, Terraform 1.5.7 and 1.13.3, the local control plane's binaries) are built on first use into
# ~/.cache/hub/tools/<name>-<version>/ by tests/tools/build.sh; `make tools` builds them all up front.

CARGO ?= cargo
FUZZ_SECONDS ?= 60
FUZZ = env RUSTC_BOOTSTRAP=1 nice $(CARGO) fuzz
BENCH_QUICK ?= 0

# $(call timed,COMMAND): runs COMMAND and prints "[time] TARGET: N s", keeping its exit status.
timed = @s=$$(date +%s); $(1); rc=$$?; echo "[time] $@: $$(( $$(date +%s) - s )) s"; exit $$rc

.PHONY: build test fmt-check clippy test-unit test-acc tools sandbox-up sandbox-down demo demo-down bench fuzz

## build: debug build of the whole workspace (the provider binary is target/debug/terraform-provider-hub)
build:
	$(call timed,$(CARGO) build --workspace)

## test: formatting, lints, unit tests, acceptance tests against the real CLIs
test: fmt-check docs-check hcl-fmt-check clippy test-unit test-acc

fmt-check:
	$(call timed,$(CARGO) fmt --all -- --check)

clippy:
	$(call timed,$(CARGO) clippy --workspace --all-targets -- -D warnings)

## test-unit: every test that needs no CLI: the provider crate's tests and the harness's own unit tests
test-unit:
	$(call timed,$(CARGO) test --workspace --exclude hub-acceptance && $(CARGO) test -p hub-acceptance --lib && $(CARGO) test -p hub-acceptance --doc)

## test-acc: the acceptance tests (tests/tests/*.rs) with OpenTofu, Terraform 1.5.7 and a newer PATH terraform
test-acc:
	$(call timed,$(CARGO) build -p terraform-provider-hub -p hub-workload && $(CARGO) test -p hub-acceptance --no-fail-fast --test '*')

## tools: build every test tool into the cache (cached builds cost nothing)
tools:
	$(call timed,tests/tools/build.sh all)

## sandbox-up / sandbox-down: start / stop the local control plane (Kubernetes API + moto)
sandbox-up:
	$(CARGO) run -p hub-acceptance --bin hub-sandbox -- up

sandbox-down:
	$(CARGO) run -p hub-acceptance --bin hub-sandbox -- down

## demo: the quick start: builds what it needs, starts the local control plane, applies examples/local-demo
## with examples/eks-stack/dev.tfvars, verifies it with hub-workload; `make demo-down` tears it down
demo:
	$(call timed,scripts/demo.sh)

demo-down:
	$(call timed,scripts/demo.sh down)

## bench: the provider benchmark suite (bench/provider/): hub vs terraform-provider-kubernetes, side by side;
## writes bench/provider/results.json, report.md and chart.png. `make bench BENCH_QUICK=1` for the quick mode.
## The peer builds from HUB_BENCH_PEER_SRC (a source snapshot, bench/README.md); without it its figures say
## "not measured".
bench:
	$(call timed,BENCH_QUICK=$(BENCH_QUICK) bench/provider/run.sh)

## fuzz: run every cargo-fuzz target for FUZZ_SECONDS each: provider/fuzz (the value codecs, AddressSanitizer)
## and provider/fuzz-handlers (the request handlers; no sanitizer, it is safe Rust and we look for panics).
## Stable toolchain with RUSTC_BOOTSTRAP=1 for cargo fuzz's -Z flags; runs without network (unshare -rn).
fuzz:
	for dir in provider/fuzz provider/fuzz-handlers; do \
	  flags="-O -a"; [ $$dir = provider/fuzz-handlers ] && flags="-O -a -s none --codegen-units 16"; \
	  for t in $$(cd $$dir && $(FUZZ) list --fuzz-dir .); do \
	    (cd $$dir && $(FUZZ) build --fuzz-dir . $$flags $$t && \
	      unshare -rn $(FUZZ) run --fuzz-dir . $$flags $$t -- -max_total_time=$(FUZZ_SECONDS) -timeout=30) || exit 1; \
	  done; done

.PHONY: bench-workload image

## bench-workload: hub-workload vs Flask + gunicorn (3 workers) on /health, side by side (not a test);
## writes bench/workload/results.json and results.md
bench-workload:
	$(call timed,bench/workload/run.sh)

## image: the hub-workload OCI image layout for linux/amd64 and linux/arm64 under one OCI index, without a
## daemon (umoci), the amd64 image smoke-tested in a chroot as uid 10001; writes target/oci/hub-workload and
## target/oci/hub-workload.size.json
image:
	$(call timed,workload/image/build.sh --smoke)

.PHONY: release release-check

## release: `make release VERSION=x.y.z` writes dist/: a zip per platform (cross builds), SHA256SUMS, its
## signature when RELEASE_GPG_KEY names the release key, manifest.json, CycloneDX SBOMs, sizes.txt
## (docs/releasing.md: platforms, the signing key, reproducibility)
release:
	$(call timed,scripts/release/release.sh "$(VERSION)")

## release-check: two linux_amd64 builds of this commit from different directories are byte-identical
## (binary and zip), and the linux_arm64 binary answers the plugin handshake under qemu-user. Not in `make test`.
release-check:
	$(call timed,scripts/release/check.sh)

.PHONY: test-long

## test-long: acceptance tests too slow for every CI run (the EKS token refresh during a 19-minute destroy)
test-long:
	$(call timed,$(CARGO) build -p terraform-provider-hub && $(CARGO) test -p hub-acceptance --test eks_token_refresh -- --ignored)

.PHONY: docs docs-check hcl-fmt-check

## docs: regenerate the registry pages in docs/ from the provider's schemas and examples/ (hub-docs)
docs:
	$(call timed,$(CARGO) run -q -p terraform-provider-hub --bin hub-docs -- generate)

## docs-check: fail with "docs/ is stale: run make docs" when docs/ differs from what `make docs` writes
docs-check:
	$(call timed,$(CARGO) run -q -p terraform-provider-hub --bin hub-docs -- check)

## hcl-fmt-check: `tofu fmt -check -recursive` over examples/, terraform/ and tests/testdata/ (tofu from the tools cache)
hcl-fmt-check:
	$(call timed,( tofu="$$(tests/tools/build.sh tofu)/tofu" && for d in examples terraform tests/testdata; do [ ! -d $$d ] || "$$tofu" fmt -check -recursive -diff $$d || { echo "HCL under $$d/ is not formatted: run tofu fmt -recursive $$d"; exit 1; }; done ))

.PHONY: test-secrets-sweep

## test-secrets-sweep: the whole acceptance suite with TF_LOG=trace and TF_LOG_PROVIDER=trace; every command's
## trace log, output and state are searched for its workspace's secrets (tests/src/tf/secrets_sweep.rs), then
## summarised (tests/tools/secrets_sweep_report.py); fails on any leak.
SWEEP_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))/secrets-sweep
test-secrets-sweep:
	$(call timed,$(CARGO) build -p terraform-provider-hub -p hub-workload && rm -rf "$(SWEEP_DIR)" && (HUB_SECRETS_SWEEP_DIR="$(SWEEP_DIR)" $(CARGO) test -p hub-acceptance --no-fail-fast --test '*'; t=$$?; python3 tests/tools/secrets_sweep_report.py "$(SWEEP_DIR)" "$(SWEEP_DIR)/summary.txt" && exit $$t))

.PHONY: test-reliability

## test-reliability: the reliability suite (tests/tests/reliability/), heavy scenarios included: the API
## server, the AWS endpoint, the CLI and the provider failing mid-apply, AWS faults at 5/20/50 %, API 429s;
## then writes docs/reliability.md from the figures. `make test` runs only its fast subset.
test-reliability:
	$(call timed,$(CARGO) build -p terraform-provider-hub && rm -f "$${CARGO_TARGET_DIR:-target}/reliability/figures.jsonl" && $(CARGO) test -p hub-acceptance --test reliability -- --include-ignored --skip write_figures_table && $(CARGO) test -p hub-acceptance --test reliability -- --ignored --exact figures::write_figures_table)
