# Repro: two commands do everything on a fresh machine with only the .NET SDK.
#   make test        restore, build, run every test (non-zero exit on any failure)
#   make reproduce   build Release, run every experiment at full settings, write reports/, gate
# NuGet packages come from nuget.org (or the machine's configured mirror) on first restore.

DOTNET ?= dotnet
CONFIG ?= Release
THREADS ?= 1
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

REPRO := $(DOTNET) src/Repro.Cli/bin/$(CONFIG)/net10.0/repro.dll

.PHONY: all build test test-slurm reproduce check report bench calibrate calibrate-runs pack tool-check clean clean-cache

all: build

build:
	$(DOTNET) restore Repro.sln
	$(DOTNET) build Repro.sln -c $(CONFIG) --no-restore

test:
	$(DOTNET) restore Repro.sln
	$(DOTNET) build Repro.sln -c $(CONFIG) --no-restore
	$(DOTNET) test Repro.sln -c $(CONFIG) --no-build

# The Slurm path end to end with a real Slurm (tools/slurm/test-slurm.sh): installs Debian's Slurm and munge
# when missing (apt-get, about 10 s), starts a private one-node cluster (munged, slurmctld, slurmd; no systemd),
# runs the quick set as a job array of SHARDS (default 4) shards plus the afterok job that merges, reports and
# checks (the script `repro slurm` writes), compares the merged results with a local one-process run byte for
# byte, and stops the daemons, also on failure. Where Slurm cannot run here it prints
# "test-slurm: SKIPPED: <reason>" and exits 0 (REQUIRE_SLURM=1: exit 1). Needs root or password-less sudo.
test-slurm:
	$(DOTNET) build src/Repro.Cli -c $(CONFIG)
	DOTNET=$(DOTNET) THREADS=$(THREADS) REPRO_DLL=src/Repro.Cli/bin/$(CONFIG)/net10.0/repro.dll bash tools/slurm/test-slurm.sh

# Train and sample every seed of every experiment, rebuild the report, then gate: all in
# reports.staging/, a copy of reports/ that replaces it only once complete, so an interrupted or
# refused run leaves the previous report whole. Nothing is reused from reports/ (the published
# baseline): a seed is restored only from the git-ignored local cache .repro-cache/ when it holds the
# same identity (definition, code, packages, threads, quick, platform), else computed and added to it.
# A diverged run does not stop the others. It ends with `repro diff` of the new reports/ against
# reports/ as committed at HEAD (read from git, not the working tree), printing "bit-identical to the
# committed baseline (HEAD:reports abc1234)" or the differences. Exit status is check's (0 pass, 1 gate
# missed or run diverged, 2 bad input); with STRICT=1 a difference from the baseline also exits 1.
# RECOMPUTE=1 computes every seed (and refreshes the cache); NO_CACHE=1 neither reads nor writes it.
# JOBS=N runs N units at once in worker processes (default: the number of cores), bit-identical to JOBS=1.
reproduce:
	$(DOTNET) restore src/Repro.Cli
	$(DOTNET) build src/Repro.Cli -c $(CONFIG) --no-restore
	$(REPRO) validate experiments
	$(REPRO) reproduce reports --threads $(THREADS) $(if $(JOBS),--jobs $(JOBS)) $(if $(filter 1,$(STRICT)),--strict) $(if $(filter 1,$(RECOMPUTE)),--recompute) $(if $(filter 1,$(NO_CACHE)),--no-cache)

# The gates' calibration by simulation with the exact truth (no training): each gate's null at the
# pinned full sizes, its share of the 1% budget, and its power against graded faults (sigma +-10/20%,
# p0, 5% weight leak, score x0.9/1.1, step x2/x5); writes reports/calibration.json for the report.
# Exit 1 unless every gate is within its share and the shares add up. Then run `make report`.
calibrate:
	$(DOTNET) build src/Repro.Cli -c $(CONFIG)
	$(REPRO) calibrate --report reports

# The slow check by full training runs: correct seeds (none may fail) and broken ones (all caught).
calibrate-runs:
	$(DOTNET) build src/Repro.Cli -c $(CONFIG)
	$(REPRO) calibrate --runs --seeds $(or $(SEEDS),50) --threads $(THREADS)

# Re-gate stored results without training (what CI can run on the committed reports/); JUnit XML
# of the gates goes to $(JUNIT) (default gates.xml, git-ignored). Results made by other code than this
# build are judged and named in a note; STRICT=1 fails them (exit 1).
check:
	$(DOTNET) build src/Repro.Cli -c $(CONFIG)
	$(REPRO) check reports --junit $(or $(JUNIT),gates.xml) $(if $(filter 1,$(STRICT)),--strict)

# Rebuild the Markdown report and figures from stored results.
report:
	$(DOTNET) build src/Repro.Cli -c $(CONFIG)
	$(REPRO) report reports

# BenchmarkDotNet, in-process; every suite reports the harness as a ratio to a baseline in the same run.
bench:
	$(DOTNET) build src/Repro.Benchmarks -c Release
	$(DOTNET) src/Repro.Benchmarks/bin/Release/net10.0/Repro.Benchmarks.dll --filter '$(or $(FILTER),*)'

# The repro command as a .NET tool package in artifacts/ (install: dotnet tool install --global
# --add-source ./artifacts repro). It carries TorchSharp's native library patched like every build.
pack:
	$(DOTNET) pack src/Repro.Cli -c Release

# Pack, install into a temporary tool path and run score-check from outside the clone (minutes; not in make test).
tool-check:
	DOTNET=$(DOTNET) bash build/tool-check.sh

# Build outputs only: the local cache of finished seeds survives (make clean-cache deletes it).
clean:
	$(DOTNET) clean Repro.sln -c $(CONFIG)
	rm -rf src/*/bin src/*/obj tests/*/bin tests/*/obj BenchmarkDotNet.Artifacts artifacts

# The local cache of finished seeds (.repro-cache/, git-ignored): the next make reproduce computes every seed.
clean-cache:
	rm -rf .repro-cache
