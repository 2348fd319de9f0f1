// SPDX-License-Identifier: GPL-2.0
// The stdin mode of `ksyms symbolize`: a streaming scanner that has to keep
// up with 100 MB/s of log text, so it works on whole chunks, copies the
// unchanged stretches between addresses in one append each, and classifies
// bytes through a table.  A chunk is scanned first; its addresses are then
// looked up in one Snapshot::locate() batch, whose cache misses overlap, and
// only then is the output written.
#include <ksyms/symbolize.h>

#include <array>
#include <cstdint>
#include <optional>

namespace ksyms {

namespace {

// Longest word that can be a candidate: "0x" and 16 digits.
constexpr size_t longest_candidate = 18;

constexpr std::array<bool, 256> make_word_table()
{
	std::array<bool, 256> table{};
	for (int c = '0'; c <= '9'; c++)
		table[c] = true;
	for (int c = 'a'; c <= 'z'; c++)
		table[c] = true;
	for (int c = 'A'; c <= 'Z'; c++)
		table[c] = true;
	table['_'] = true;
	return table;
}
constexpr std::array<bool, 256> word_char = make_word_table();

constexpr std::array<int8_t, 256> make_hex_table()
{
	std::array<int8_t, 256> table{};
	table.fill(-1);
	for (int c = '0'; c <= '9'; c++)
		table[c] = c - '0';
	for (int c = 'a'; c <= 'f'; c++)
		table[c] = c - 'a' + 10;
	for (int c = 'A'; c <= 'F'; c++)
		table[c] = c - 'A' + 10;
	return table;
}
constexpr std::array<int8_t, 256> hex_value = make_hex_table();

bool is_word(char c)
{
	return word_char[static_cast<unsigned char>(c)];
}

// The value of a candidate word, or nothing if it is not one.
std::optional<uint64_t> candidate_value(std::string_view word)
{
	if (word.size() >= 3 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X'))
		word.remove_prefix(2);
	else if (word.size() != 16)
		return std::nullopt;
	if (word.size() > 16)
		return std::nullopt;
	uint64_t value = 0;
	for (char c : word) {
		int digit = hex_value[static_cast<unsigned char>(c)];
		if (digit < 0)
			return std::nullopt;
		value = value << 4 | digit;
	}
	return value;
}

} // namespace

AddressRewriter::AddressRewriter(const Snapshot &snapshot,
				 RewriteOptions options)
	: snapshot_(&snapshot), options_(options)
{
}

// Appends `word` and, if it is an address inside a symbol, its annotation.
void AddressRewriter::emit_word(std::string_view word, std::string &out)
{
	out += word;
	if (word.size() > longest_candidate)
		return;
	std::optional<uint64_t> value = candidate_value(word);
	if (!value || *value < options_.min_address)
		return;
	emit_location(*value, snapshot_->locate(*value), out);
}

// Appends " (name+0xoff/0xsize [module buildid])" if the address is in a
// symbol.
void AddressRewriter::emit_location(uint64_t address,
				    const AddressLocation &location,
				    std::string &out)
{
	if (!location)
		return;
	const ObjectInfo *object = snapshot_->object_of(location.symbol);
	out += " (";
	append_match(out, location.name, location.offset, location.size,
		     snapshot_->module_of(location.symbol, address),
		     object ? object->build_id : std::span<const uint8_t>());
	out += ')';
	rewritten_++;
}

void AddressRewriter::feed(std::string_view chunk, std::string &out)
{
	const char *data = chunk.data();
	size_t size = chunk.size();
	size_t pos = 0;

	// Finish the word the previous chunk ended inside.
	if (in_long_word_ || !held_.empty()) {
		while (pos < size && is_word(data[pos]))
			pos++;
		if (in_long_word_) {
			out.append(data, pos);
		} else if (held_.size() + pos > longest_candidate) {
			// Too long to be an address whatever follows.
			out += held_;
			out.append(data, pos);
			held_.clear();
			in_long_word_ = true;
		} else {
			held_.append(data, pos);
			if (pos < size) {
				emit_word(held_, out);
				held_.clear();
			}
		}
		if (pos == size)
			return;
		in_long_word_ = false;
	}

	// [copied, pos) is text not yet appended; words start after a
	// non-word byte, so each word found here is whole on its left.
	size_t copied = pos;
	candidates_.clear();
	std::string_view tail;	// a word the chunk ends inside
	while (pos < size) {
		while (pos < size && !is_word(data[pos]))
			pos++;
		size_t start = pos;
		while (pos < size && is_word(data[pos]))
			pos++;
		size_t length = pos - start;
		if (length == 0)
			break;
		if (pos == size) {
			// The word may go on in the next chunk.
			tail = std::string_view(data + start, length);
			break;
		}
		if (length != 16 && (length < 3 || length > longest_candidate ||
				     data[start] != '0'))
			continue;	// cannot be a candidate: copy later in bulk
		std::optional<uint64_t> value =
			candidate_value(std::string_view(data + start, length));
		if (value && *value >= options_.min_address)
			candidates_.push_back({start, pos, *value});
	}

	addresses_.resize(candidates_.size());
	locations_.resize(candidates_.size());
	for (size_t i = 0; i < candidates_.size(); i++)
		addresses_[i] = candidates_[i].address;
	snapshot_->locate(addresses_, locations_);
	for (const AddressLocation &location : locations_)
		__builtin_prefetch(location.name);	// null is harmless

	for (size_t i = 0; i < candidates_.size(); i++) {
		const Candidate &candidate = candidates_[i];
		out.append(data + copied, candidate.end - copied);
		emit_location(candidate.address, locations_[i], out);
		copied = candidate.end;
	}
	if (tail.empty()) {
		out.append(data + copied, size - copied);
		return;
	}
	out.append(data + copied, tail.data() - (data + copied));
	if (tail.size() > longest_candidate) {
		out.append(tail);
		in_long_word_ = true;
	} else {
		held_.assign(tail);
	}
}

void AddressRewriter::finish(std::string &out)
{
	if (!held_.empty())
		emit_word(held_, out);
	held_.clear();
	in_long_word_ = false;
}

} // namespace ksyms
