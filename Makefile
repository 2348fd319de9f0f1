# SPDX-License-Identifier: GPL-2.0-only
#
# make                 build ksyms.ko for the running kernel
# make KDIR=<dir>      build against another kernel's build tree or headers
# make KSYMS_DEBUG=1    with the tests' hooks: allocation counters, fault
#                      injection and their debugfs files (the test VMs' build)
# make install         install the module, the user-space headers and the
#                      tools (tools_install)
# make tools           build libksyms and the ksyms command (CMake, in build/tools)
# make tools_install   install the ksyms command, libksyms (static and shared),
#                      its headers, ksyms.pc, the CMake package (ksymsConfig),
#                      the man page ksyms(1) and, where pybind11 is
#                      installed, the Python module
# make check           W=1 and sparse (C=1) builds, checkpatch --strict
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
INCLUDEDIR ?= $(PREFIX)/include
CHECKPATCH ?= $(KDIR)/scripts/checkpatch.pl
TOOLS_BUILD ?= $(CURDIR)/build/tools

.PHONY: all modules install modules_install headers_install tools tools_install clean check

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null || uname -r) || true

headers_install:
	install -D -m 0644 uapi/linux/ksyms.h $(DESTDIR)$(INCLUDEDIR)/linux/ksyms.h
	install -D -m 0644 uapi/sys/ksyms.h $(DESTDIR)$(INCLUDEDIR)/sys/ksyms.h

tools:
	cmake -S tools -B $(TOOLS_BUILD) -DCMAKE_BUILD_TYPE=Release \
		-DKSYMS_BUILD_TESTS=OFF -DKSYMS_BUILD_BENCHMARKS=OFF \
		-DCMAKE_INSTALL_PREFIX=$(PREFIX)
	cmake --build $(TOOLS_BUILD)

# DESTDIR, from the environment or the command line, is cmake's too.
tools_install: tools
	DESTDIR=$(DESTDIR) cmake --install $(TOOLS_BUILD) --prefix $(PREFIX)

install: modules_install headers_install tools_install

check:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
