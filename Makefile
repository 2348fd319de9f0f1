# SPDX-License-Identifier: GPL-2.0
#
# make                 build ksyms.ko for the running kernel
# make KDIR=<dir>      build against another kernel's build tree or headers
# make install         install the module and the user-space headers
# make check           W=1 and sparse (C=1) builds, checkpatch --strict
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
INCLUDEDIR ?= $(PREFIX)/include
CHECKPATCH ?= $(KDIR)/scripts/checkpatch.pl

.PHONY: all modules install modules_install headers_install clean check

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null || uname -r) || true

headers_install:
	install -D -m 0644 uapi/linux/ksyms.h $(DESTDIR)$(INCLUDEDIR)/linux/ksyms.h
	install -D -m 0644 uapi/sys/ksyms.h $(DESTDIR)$(INCLUDEDIR)/sys/ksyms.h

install: modules_install headers_install

check:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
