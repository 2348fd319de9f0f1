// SPDX-License-Identifier: BSD-2-Clause
// What ksyms_json_check's two checks share: running the ksyms command and
// reading its JSON back with nlohmann-json.
#ifndef KSYMS_TESTS_VM_JSON_H
#define KSYMS_TESTS_VM_JSON_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ksyms::vmcheck {

struct Run {
	int status = -1;	// the command's exit status, -1 if it died
	std::string out;	// its standard output
};

// Runs `command` with sh -c, `input` on its standard input (through a
// file, so that a large input cannot deadlock against the output).
Run run(const std::string &command, const std::string &input = "");

// Each line of `text` parsed; a line that is not JSON is reported on stdout
// ("# ...") and left out, so that the counts then disagree.
std::vector<nlohmann::json> parse_lines(const std::string &text);

std::string hex(uint64_t value);

// The BPF check: `ksyms` names each JIT-ed program's bytes as the kernel
// does.  Returns the exit status.
int check_bpf_frames(const std::string &ksyms);

} // namespace ksyms::vmcheck

#endif
