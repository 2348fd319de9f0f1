// SPDX-License-Identifier: BSD-2-Clause
// Compiled, not run, by nodiscard_test.sh: as it is, every result is used
// and it must compile; with -DDISCARD each of the three results below is
// dropped, and each must be a warning (an Expected, an Error, a lookup).
#include <ksyms/snapshot.h>

void use(const ksyms::Snapshot &snapshot)
{
#ifdef DISCARD
	ksyms::Snapshot::open_file("image.elf");
	snapshot.save("copy.elf");
	snapshot.symbolize(0xffffffff81000000ull);
#else
	(void)ksyms::Snapshot::open_file("image.elf");
	(void)snapshot.save("copy.elf");
	(void)snapshot.symbolize(0xffffffff81000000ull);
#endif
}
