// SPDX-License-Identifier: BSD-2-Clause
// Runs a program with an argument vector (no shell, so no limit on one
// argument's length) and the given standard input, collecting its output.
#ifndef KSYMS_TESTS_PROCESS_H
#define KSYMS_TESTS_PROCESS_H

#include <string>
#include <vector>

namespace ksyms::test {

struct Output {
	int status = -1;	// exit status, -1 if it did not exit
	std::string text;	// standard output
	// Its CPU time, user and system: the machine may be shared, and
	// the time on the clock would measure the other programs too.
	double cpu_seconds = 0;
	long minor_faults = 0;
};

// DEBUGINFOD_URLS is removed from the program's environment: what it
// finds must come from the directories it is given. So is
// GLIBC_TUNABLES, which changes how malloc backs the heap, unless
// `environment` (NAME=VALUE entries added to it) sets it.
Output run(const std::vector<std::string> &argv, const std::string &input,
	   const std::vector<std::string> &environment = {});

} // namespace ksyms::test

#endif
