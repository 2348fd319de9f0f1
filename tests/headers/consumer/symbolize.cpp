// SPDX-License-Identifier: BSD-2-Clause
// Usage: symbolize_cxx IMAGE ADDRESS...
//
// symbolize_c's output, through the C++ API: the same lines must come out.
#include <ksyms/snapshot.h>
#include <ksyms/symbolize.h>
#include <ksyms/version.h>

#include <cstdio>
#include <string>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (ksyms::version != PACKAGE_VERSION) {
		std::fprintf(stderr, "versions differ: headers %s, package %s\n",
			     KSYMS_VERSION_STRING, PACKAGE_VERSION);
		return 1;
	}
	std::printf("libksyms %s\n", KSYMS_VERSION_STRING);
	auto snapshot = ksyms::Snapshot::open_file(argv[1]);
	if (!snapshot) {
		std::fprintf(stderr, "%s\n", snapshot.error().message().c_str());
		return 1;
	}
	for (const ksyms::ObjectInfo &object : snapshot->objects())
		if (object.is_vmlinux())
			std::printf("vmlinux %s\n",
				    ksyms::format_build_id(object.build_id).c_str());
	for (int i = 2; i < argc; i++) {
		auto address = ksyms::parse_address(argv[i]);
		if (!address)
			return 2;
		auto match = snapshot->symbolize(*address);
		std::printf("0x%llx %s\n", static_cast<unsigned long long>(*address),
			    match ? ksyms::format_match(*match).c_str() : "?");
	}
	return 0;
}
