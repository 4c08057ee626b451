# ExCon for Java. Thin targets: the work happens in environment/ and Maven.
SHELL := /bin/bash
MVN := mvn -B -ntp -Dstyle.color=never
# Nothing leaves the machine unless asked: DJL offline, telemetry off (ExconRuntime defaults these too).
export DJL_OFFLINE ?= true
export OPT_OUT_TRACKING ?= true
# GPU=1 builds without the CPU libtorch so DJL loads CUDA libtorch (see README, "GPU").
ifdef GPU
MVN += -Dgpu
endif

.PHONY: setup test bench download notebook demo reports

## setup: install Debian packages (as root), build with Maven, install the kernelspec. Idempotent.
setup:
	@GPU=$(GPU) bash environment/setup.sh

## notebook: set-up, then the classic Jupyter Notebook server in notebooks/ on 127.0.0.1:$(PORT) with the excon kernel;
## prints the URL with a new token. make notebook PORT=8890 for another port (a port in use is refused).
PORT ?= 8888
notebook: setup
	@PORT=$(PORT) bash environment/notebook.sh

## demo: set-up, then the quickstart notebook executed headless into reports/01-quickstart.html (self-contained).
demo: setup
	@bin/run-notebook notebooks/01-quickstart.ipynb

## reports: every notebook that can run here into reports/ (the GPU reproductions with their smoke setting, when their
## data set is present).
reports: setup
	@bash environment/reports.sh

## test: set-up without the kernelspec, then the whole test suite (reads the real Fashion-MNIST from Debian's package;
## the browser and Slurm tests must run, not skip). The suite installs its own kernel into a temporary Jupyter data
## directory: the user's "excon" kernelspec, which may belong to another checkout, is never touched.
test:
	@GPU=$(GPU) bash environment/setup.sh --no-kernel
	EXCON_REQUIRE_REAL_DATA=1 EXCON_REQUIRE_BROWSER=1 EXCON_REQUIRE_SLURM=1 $(MVN) test

## bench: throughput figures side by side (make bench BENCH=pipeline for one group; REFERENCE=FILE, the JSON line
## shared/peer-bench/run.sh printed in the same sitting, adds the ratios to the reference).
bench: setup
	$(MVN) -q test-compile exec:exec@bench -Dbench.only=$(BENCH) -Dbench.reference=$(REFERENCE)

## download: fetch, verify and unpack a data set into data/ (DATASET=cifar10|cifar100|tiny-imagenet|cifar100-c).
download: setup
	@test -n "$(DATASET)" || { echo "usage: make download DATASET=cifar10|cifar100|tiny-imagenet|cifar100-c"; exit 2; }
	java -cp "target/classes:target/lib/*" dev.excon.data.download.DownloadMain $(DATASET) --data $(or $(EXCON_DATA),data)
