// SPDX-License-Identifier: BSD-2-Clause
// ksyms lookup --json and ksyms symbolize --json.
#include "command.h"
#include "json_answers.h"
#include "json_commands.h"

#include <ksyms/symbolize.h>

#include <cstdio>
#include <string>
#include <vector>

namespace ksyms::tool {

namespace {

constexpr size_t flush_at = 1 << 16;

void flush(std::string &out)
{
	std::fwrite(out.data(), 1, out.size(), stdout);
	out.clear();
}

bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

// Answers the words of one batch: addresses through one locate() call, the
// rest as errors, in input order.  Returns whether all were found.
bool answer_words(const Snapshot &snapshot, AddressAnswers &answers,
		  const std::vector<std::string_view> &words, std::string &out)
{
	std::vector<uint64_t> addresses;
	std::vector<bool> parsed(words.size());
	for (size_t i = 0; i < words.size(); i++) {
		if (auto address = parse_address(words[i])) {
			addresses.push_back(*address);
			parsed[i] = true;
		}
	}
	std::vector<AddressLocation> where(addresses.size());
	snapshot.locate(addresses, where);
	bool all_found = true;
	size_t next = 0;
	for (size_t i = 0; i < words.size(); i++) {
		if (!parsed[i]) {
			nlohmann::json answer = json_answer();
			answer["Input"] = words[i];
			answer["Symbol"] = nlohmann::json::array();
			answer["Error"] = json_error("not an address");
			append_json_line(out, answer);
			all_found = false;
			continue;
		}
		all_found &= bool(where[next]);
		answers.append(out, addresses[next], where[next]);
		next++;
	}
	return all_found;
}

} // namespace

int lookup_json(const Snapshot &snapshot,
		std::span<const std::string_view> names)
{
	int status = exit_ok;
	std::string out;
	for (std::string_view name : names) {
		nlohmann::json answer = json_answer();
		answer["Name"] = name;
		nlohmann::json &symbols = answer["Symbols"] =
			nlohmann::json::array();
		for (const Symbol &symbol : snapshot.find_name(name))
			symbols.push_back(json_symbol(snapshot, symbol, true));
		if (symbols.empty()) {
			answer["Error"] = json_error("not found");
			status = exit_not_found;
		}
		append_json_line(out, answer);
	}
	flush(out);
	return finish_output(status);
}

int symbolize_json(const Snapshot &snapshot, std::span<const uint64_t> addresses)
{
	std::vector<AddressLocation> where(addresses.size());
	snapshot.locate(addresses, where);
	AddressAnswers answers(snapshot);
	int status = exit_ok;
	std::string out;
	for (size_t i = 0; i < addresses.size(); i++) {
		if (!where[i])
			status = exit_not_found;
		answers.append(out, addresses[i], where[i]);
		if (out.size() > flush_at)
			flush(out);
	}
	flush(out);
	return finish_output(status);
}

// Reads as the text rewriter does (large reads, answered as they come, so
// that a pipe is answered live); a word cut by a read waits for the rest.
int symbolize_json_stream(const Snapshot &snapshot)
{
	std::string pending;	// input not yet answered: a partial word
	std::string in(1 << 20, '\0');
	std::string out;
	AddressAnswers answers(snapshot);
	bool all_found = true;
	for (;;) {
		Expected<size_t> read = read_stdin(in.data(), in.size());
		if (!read)
			return report(read.error());
		size_t got = *read;
		pending.append(in.data(), got);
		size_t end = pending.size();
		if (got > 0)	// the last word may go on in the next read
			while (end > 0 && !is_space(pending[end - 1]))
				end--;
		std::vector<std::string_view> words;
		for (size_t i = 0; i < end;) {
			while (i < end && is_space(pending[i]))
				i++;
			size_t start = i;
			while (i < end && !is_space(pending[i]))
				i++;
			if (i > start)
				words.emplace_back(pending.data() + start, i - start);
		}
		all_found &= answer_words(snapshot, answers, words, out);
		pending.erase(0, end);
		flush(out);
		if (std::fflush(stdout) != 0)
			return finish_output(exit_ok);
		if (got == 0)
			return finish_output(all_found ? exit_ok : exit_not_found);
	}
}

} // namespace ksyms::tool
