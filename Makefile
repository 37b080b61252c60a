# greenlane — build.  `make` builds, `make test` runs the suite (plain, then
# ASan+UBSan), `make bench` prints benchmark figures, `make run` opens the
# lane interface on the demo cache.  Dependencies are found with pkg-config;
# `sh assets/bootstrap.sh` installs them on Debian 12.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGCONF ?= pkg-config

# SAN=1 builds everything with AddressSanitizer + UBSan into build-san/.
ifeq ($(SAN),1)
BUILD   ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT     ?= -O1
else
BUILD   ?= build
SANFLAGS =
OPT     ?= -O2
endif

PKGS      = ncursesw libcurl libcjson sqlite3 libsodium zlib
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE% -D_DEFAULT_SOURCE,$(shell $(PKGCONF) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell $(PKGCONF) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell $(PKGCONF) --cflags cmocka 2>/dev/null)
TEST_LIBS   := $(shell $(PKGCONF) --libs cmocka 2>/dev/null)

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wformat=2 -Wwrite-strings -Wno-format-nonliteral -Wno-format-truncation -Werror $(EXTRA_WARN)
CFLAGS ?= $(OPT) -g
LOCALEDIR ?= $(PREFIX)/share/locale
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 $(WARN) $(CFLAGS) \
             $(SANFLAGS) -Iinclude -I$(BUILD)/gen $(PKG_CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

CORE_SRC  = $(wildcard src/core/*.c)
STORE_SRC = $(wildcard src/store/*.c)
NET_SRC   = $(wildcard src/net/*.c)
CLI_SRC   = $(wildcard src/cli/*.c) $(wildcard src/tui/*.c)
CENTRAL_SRC = $(wildcard src/central/*.c) $(wildcard src/central/store/*.c)
CENTRAL_OBJ = $(CENTRAL_SRC:%.c=$(BUILD)/%.o)
CENTRAL_STORE_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(wildcard src/central/store/*.c))
# Pure readers outside the library, for the fuzz targets: the centre's
# requests and a county CSV, the lane's configuration file.
FUZZ_EXTRA = src/central/request.c src/central/bureau.c src/cli/config.c
FUZZ_TARGETS = $(notdir $(wildcard tests/fuzz/corpus/*))
MHD_CFLAGS := $(shell $(PKGCONF) --cflags libmicrohttpd libpq 2>/dev/null)
MHD_LIBS   := $(shell $(PKGCONF) --libs libmicrohttpd libpq 2>/dev/null)
LIB_SRC   = $(CORE_SRC) $(STORE_SRC) $(NET_SRC)
LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/assets.o
CLI_OBJ   = $(CLI_SRC:%.c=$(BUILD)/%.o)

UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(wildcard tests/bench/*.c)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

ASSETS = assets/policy/default.json
CENTRE_ASSETS = $(sort $(wildcard assets/centre/*))

.PHONY: FORCE all test unit clitest tuitest apitest apitest-pg synctest browsertest fuzz bench install clean run
all: $(BUILD)/greenlane $(BUILD)/greenlane-central $(BUILD)/locale/zh_CN/LC_MESSAGES/greenlane.mo

# Translations: English message ids, Chinese in assets/po/zh_CN.po.
$(BUILD)/locale/zh_CN/LC_MESSAGES/greenlane.mo: assets/po/zh_CN.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/src/central/%.o: src/central/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(MHD_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/greenlane-central: $(CENTRAL_OBJ) $(BUILD)/gen/centre_assets.o $(BUILD)/libgreenlane.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CENTRAL_OBJ) $(BUILD)/gen/centre_assets.o $(BUILD)/libgreenlane.a $(MHD_LIBS) \
		$(PKG_LIBS) -lpthread -lm

# Where the installed program finds its translations.  Rewritten only when
# PREFIX or LOCALEDIR changes, so `make install PREFIX=/usr` after a plain
# `make` rebuilds what depends on it instead of installing a binary that looks
# in /usr/local.
$(BUILD)/gen/paths.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define GL_LOCALEDIR "%s"\n' '$(LOCALEDIR)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/src/tui/app.o: $(BUILD)/gen/paths.h
FORCE:

# Assets are embedded so that the default policy needs no files at run time.
$(BUILD)/gen/assets.c: $(ASSETS) tests/embed.sh
	@mkdir -p $(dir $@)
	sh tests/embed.sh $(ASSETS) > $@
$(BUILD)/gen/assets.o: $(BUILD)/gen/assets.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@
# The command centre's page, in greenlane-central only: every byte it
# serves is its own.
$(BUILD)/gen/centre_assets.c: $(CENTRE_ASSETS) tests/embed.sh
	@mkdir -p $(dir $@)
	sh tests/embed.sh --fn centre_asset $(CENTRE_ASSETS) > $@
$(BUILD)/gen/centre_assets.o: $(BUILD)/gen/centre_assets.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libgreenlane.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/greenlane: $(CLI_OBJ) $(BUILD)/libgreenlane.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libgreenlane.a $(PKG_LIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libgreenlane.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libgreenlane.a $(ALL_LDFLAGS) $(TEST_LIBS) $(PKG_LIBS) -lm

# The centre's store, tested without its server.
$(BUILD)/tests/test_central_%: tests/unit/test_central_%.c $(CENTRAL_STORE_OBJ) $(BUILD)/libgreenlane.a \
		$(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(MHD_CFLAGS) $(TEST_CFLAGS) -Itests/unit -o $@ $< $(CENTRAL_STORE_OBJ) $(BUILD)/libgreenlane.a \
		$(ALL_LDFLAGS) $(TEST_LIBS) $(MHD_LIBS) $(PKG_LIBS) -lm

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libgreenlane.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libgreenlane.a $(ALL_LDFLAGS) $(PKG_LIBS) -lm

$(BUILD)/fuzz_driver: tests/fuzz/driver.c tests/fuzz/fuzz_parsers.c tests/fuzz/targets.h $(FUZZ_EXTRA:%.c=$(BUILD)/%.o) \
		$(BUILD)/libgreenlane.a
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -o $@ tests/fuzz/driver.c tests/fuzz/fuzz_parsers.c $(FUZZ_EXTRA:%.c=$(BUILD)/%.o) \
		$(BUILD)/libgreenlane.a $(ALL_LDFLAGS) $(PKG_LIBS) -lm

# Coverage-guided fuzzing with libFuzzer (needs clang): one binary per
# target, each FUZZ_SECONDS on a copy of its seed corpus, with its dictionary.
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang EXTRA_WARN="-Wno-unknown-warning-option -Wno-string-concatenation" \
		SANFLAGS="-fsanitize=address,undefined,fuzzer-no-link" build-fuzz/libgreenlane.a \
		$(FUZZ_EXTRA:%.c=build-fuzz/%.o)
	for t in $(FUZZ_TARGETS); do \
		clang $(ALL_CFLAGS) -Itests/fuzz -Wno-unknown-warning-option -fsanitize=address,undefined,fuzzer \
			-DFUZZ_TARGET="\"$$t\"" -o build-fuzz/fuzz_$$t tests/fuzz/libfuzzer.c tests/fuzz/fuzz_parsers.c \
			$(FUZZ_EXTRA:%.c=build-fuzz/%.o) build-fuzz/libgreenlane.a $(PKG_LIBS) -lm || exit 1; \
		mkdir -p build-fuzz/corpus/$$t && cp -n tests/fuzz/corpus/$$t/* build-fuzz/corpus/$$t/; \
		./build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -dict=tests/fuzz/dict/$$t.dict \
			build-fuzz/corpus/$$t || exit 1; \
	done

# The whole suite: the layering and the sources, unit tests, the command
# line, the screen, the API and sync scenarios; then the same again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
test:
	@sh tests/layers.sh
	@python3 tests/source.py
	$(MAKE) unit clitest tuitest apitest apitest-pg synctest browsertest
	$(MAKE) SAN=1 unit clitest tuitest apitest apitest-pg synctest browsertest

unit: $(UNIT_BIN) all $(BUILD)/fuzz_driver
	@sh tests/run-unit.sh $(UNIT_BIN)
	@./$(BUILD)/fuzz_driver tests/fuzz 200000

clitest: all
	@sh tests/scenarios.sh cli tests/cli $(BUILD)/greenlane

tuitest: all
	@sh tests/scenarios.sh tui tests/tui $(BUILD)/greenlane

apitest: all
	@sh tests/scenarios.sh api tests/api $(BUILD)/greenlane

synctest: all
	@sh tests/scenarios.sh sync tests/sync $(BUILD)/greenlane

# The command centre's page in headless Chromium (Debian's chromium);
# screenshots in $(BUILD)/browser/.
browsertest: all
	@sh tests/scenarios.sh browser tests/browser $(BUILD)/greenlane

# The API scenarios on the PostgreSQL store (needs Debian's postgresql).
apitest-pg: all
	@sh tests/pg/suite.sh $(BUILD)/greenlane

bench: $(BUILD)/greenlane $(BENCH_BIN)
	@sh tests/bench/run.sh $(BUILD)

# The demo lives in its own data directory, never over a lane's real cache.
run: all
	GREENLANE_HOME=$(CURDIR)/$(BUILD)/demo-home ./$(BUILD)/greenlane demo

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/greenlane/policy
	install -m 755 $(BUILD)/greenlane $(DESTDIR)$(PREFIX)/bin/greenlane
	install -m 755 $(BUILD)/greenlane-central $(DESTDIR)$(PREFIX)/bin/greenlane-central
	install -m 644 $(ASSETS) $(DESTDIR)$(PREFIX)/share/greenlane/policy/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 assets/man/greenlane.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 644 assets/man/greenlane-central.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 assets/greenlane-central.service $(DESTDIR)$(PREFIX)/lib/systemd/system/
	install -d $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES
	install -m 644 $(BUILD)/locale/zh_CN/LC_MESSAGES/greenlane.mo $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
