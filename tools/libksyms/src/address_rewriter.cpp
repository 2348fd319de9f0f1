// SPDX-License-Identifier: BSD-2-Clause
// The stdin mode of `ksyms symbolize`: a streaming scanner that has to keep
// up with 100 MB/s of log text, so it works on whole chunks, copies the
// unchanged stretches between addresses in one append each, and classifies
// bytes through a table.  A chunk is scanned first; its addresses are then
// looked up in one Snapshot::locate() batch, whose cache misses overlap, and
// only then is the output written.
#include <ksyms/symbolize.h>

#include "hex_word.h"
#include "match_text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
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
	if (word.size() == 16 && hex_word::parse16(word.data(), value))
		return value;
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
	: snapshot_(&snapshot), options_(options),
	  has_objects_(!snapshot.objects().empty())
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

// What an address's annotation needs beyond its AddressLocation.
struct AddressRewriter::Annotation {
	size_t name_size;
	std::string_view module;
	std::span<const uint8_t> build_id;
};

// Snapshot::module_of() and the build ID of Snapshot::object_of(), with
// one search of the object table instead of two, and none where the
// snapshot has neither an object table nor a module map.
AddressRewriter::Annotation AddressRewriter::annotation(
	uint64_t address, const AddressLocation &location) const
{
	size_t name_size = std::strlen(location.name);
	if (!has_objects_) {
		if (snapshot_->modules().empty())
			return {name_size, {}, {}};
		return {name_size, snapshot_->modules().module_of(address), {}};
	}
	const ObjectInfo *object = last_object_;
	if (!object || !object->holds(location.symbol))
		object = last_object_ = snapshot_->object_of(location.symbol);
	if (!object)
		return {name_size, {}, {}};
	return {name_size, object->is_vmlinux() ? std::string_view() :
						  object->name,
		object->build_id};
}

// The most put_annotation() writes.
size_t AddressRewriter::annotation_bound(const Annotation &annotation)
{
	return 3 + match_text::bound(annotation.name_size,
				     annotation.module.size(),
				     annotation.build_id.size());
}

// Writes " (name+0xoff/0xsize [module buildid])".
char *AddressRewriter::put_annotation(char *out,
				      const AddressLocation &location,
				      const Annotation &annotation)
{
	*out++ = ' ';
	*out++ = '(';
	out = match_text::put_match(
		out, std::string_view(location.name, annotation.name_size),
		location.offset, location.size, annotation.module,
		annotation.build_id);
	*out++ = ')';
	rewritten_++;
	return out;
}

// Appends the annotation if the address is in a symbol.
void AddressRewriter::emit_location(uint64_t address,
				    const AddressLocation &location,
				    std::string &out)
{
	if (!location)
		return;
	Annotation about = annotation(address, location);
	size_t at = out.size();
	out.resize(at + annotation_bound(about));
	char *end = put_annotation(out.data() + at, location, about);
	out.resize(end - out.data());
}

// Appends the chunk's text up to its last candidate, each candidate
// annotated.  A group of candidates is written into scratch room, then
// appended (growing the output first would zero the room), and each name
// is prefetched `ahead` candidates before its strlen(): one
// at a time, so that the misses stay in flight together without a burst
// that the core cannot hold.
size_t AddressRewriter::emit_candidates(const char *data, size_t count,
				       size_t copied, std::string &out)
{
	constexpr size_t group = 64;
	constexpr size_t ahead = 24;
	Annotation about[group];
	for (size_t i = 0; i < std::min(ahead, count); i++)
		__builtin_prefetch(locations_[i].name);	// null is harmless
	for (size_t first = 0; first < count; first += group) {
		size_t last = std::min(count, first + group);
		size_t room = candidates_[last - 1].end - copied;
		for (size_t i = first; i < last; i++) {
			if (i + ahead < count)
				__builtin_prefetch(locations_[i + ahead].name);
			if (!locations_[i])
				continue;
			about[i - first] = annotation(addresses_[i],
						      locations_[i]);
			room += annotation_bound(about[i - first]);
		}
		if (room > scratch_size_) {
			scratch_size_ = std::max(room, 2 * scratch_size_);
			scratch_ = std::make_unique_for_overwrite<char[]>(
				scratch_size_);
		}
		char *p = scratch_.get();
		for (size_t i = first; i < last; i++) {
			size_t end = candidates_[i].end;
			std::memcpy(p, data + copied, end - copied);
			p += end - copied;
			copied = end;
			if (locations_[i])
				p = put_annotation(p, locations_[i],
						   about[i - first]);
		}
		out.append(scratch_.get(), p - scratch_.get());
	}
	return copied;
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
	size_t found = 0;
	// Candidates go into candidates_ and addresses_ (what locate() takes)
	// side by side; both only grow, so that no chunk clears them again.
	auto add = [&](size_t start, size_t end, uint64_t address) {
		if (found == candidates_.size()) {
			candidates_.resize(2 * found + 256);
			addresses_.resize(candidates_.size());
		}
		candidates_[found] = {start, end};
		addresses_[found++] = address;
	};
	std::string_view tail;	// a word the chunk ends inside
	while (pos < size) {
		while (pos < size && !is_word(data[pos]))
			pos++;
		size_t start = pos;
		// The common shapes first: "0x" and 16 digits, or 16 digits,
		// then a byte that ends the word.
		uint64_t whole;
		if (start + 18 < size && data[start] == '0' &&
		    (data[start + 1] | 0x20) == 'x' &&
		    hex_word::parse16(data + start + 2, whole) &&
		    !is_word(data[start + 18])) {
			pos = start + 18;
			if (whole >= options_.min_address)
				add(start, pos, whole);
			continue;
		}
		if (start + 16 < size && hex_word::parse16(data + start, whole) &&
		    !is_word(data[start + 16])) {
			pos = start + 16;
			if (whole >= options_.min_address)
				add(start, pos, whole);
			continue;
		}
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
			add(start, pos, *value);
	}

	if (locations_.size() < found)
		locations_.resize(candidates_.size());
	snapshot_->locate(std::span(addresses_.data(), found),
			  std::span(locations_.data(), found));
	if (found)
		copied = emit_candidates(data, found, copied, out);
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
