# The two commands of the README. Everything else is CMake.
#   make run   install missing Debian packages, build, run `gum projects`
#   make test  install missing Debian packages, build (plain and ASan+UBSan), run ctest on both
#   make deb   build, then a Debian package with CPack: $(BUILD)/gum_<version>_<arch>.deb
#   make fuzz  build the libFuzzer targets of fuzz/ with clang, run each for FUZZ_SECONDS with a
#              random seed; make test runs them for FUZZ_TEST_RUNS inputs from a fixed seed
SHELL := /bin/bash
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_TEST_RUNS ?= 30000
JOBS       ?= $(shell nproc)
# The sanitizer pass runs every test except the `slow` label (not even built there) and these
# two, which test the build and the package rather than the code: they install gum and compile
# a program against it, or build and unpack a .deb, which the plain pass does already (about
# 170 s of sanitizer time on 2 cores).
ASAN_SKIP  ?= ^(embedding_install|packaging_deb)\.
PACKAGES := g++ cmake ninja-build pkg-config git sqlite3 \
            libcaf-dev libsqlite3-dev libcurl4-openssl-dev libboost-json1.81-dev \
            libgtest-dev libgmock-dev libyaml-dev libcli11-dev libcpp-httplib-dev \
            libbenchmark-dev zsh fish dpkg-dev groff-base \
            clang libclang-rt-14-dev \
            libutf8proc-dev libjq-dev \
            lintian \
            fzf zoxide

.PHONY: deps build build-asan run test bench clean install deb build-fuzz fuzz

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "gum: missing Debian packages; run:"; \
	    echo "  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGUM_SANITIZE=ON -DGUM_BENCH=OFF

build-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)

run: build
	./$(BUILD)/gum projects

test: build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -LE slow -E '$(ASAN_SKIP)'
	$(MAKE) --no-print-directory build-fuzz
	./fuzz/run.sh $(FUZZ_BUILD) runs=$(FUZZ_TEST_RUNS)

$(FUZZ_BUILD)/build.ninja:
	cmake -S fuzz -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++

build-fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz: build-fuzz
	./fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	./bench/run.sh $(BUILD)

install: build
	cmake --install $(BUILD)

deb: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
