// SPDX-License-Identifier: GPL-2.0
#include "address_index.h"

#include "symbol_table.h"

#include <elf.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <tuple>
#include <utility>
#include <vector>

namespace ksyms {

namespace {

struct Interval {
	uint64_t start;
	uint64_t end;		// exclusive
	uint64_t extent;	// what a match reports as the size
	uint32_t symbol;
	uint32_t rank;		// lower is preferred among equal intervals
};

struct Piece {
	uint64_t start;
	uint64_t end;		// exclusive
	uint64_t extent;
	uint32_t symbol;
};

bool takes_part(const Elf64_Sym &sym)
{
	unsigned type = ELF64_ST_TYPE(sym.st_info);
	return sym.st_value != 0 && sym.st_shndx != SHN_UNDEF &&
	       type != STT_SECTION && type != STT_FILE;
}

uint32_t preference(const Elf64_Sym &sym)
{
	unsigned type = ELF64_ST_TYPE(sym.st_info);
	unsigned bind = ELF64_ST_BIND(sym.st_info);
	uint32_t typed = (type == STT_FUNC || type == STT_OBJECT) ? 0 : 1;
	uint32_t binding = bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
	return typed * 3 + binding;
}

void append(std::vector<Piece> &out, uint64_t start, uint64_t end,
	    const Interval &owner)
{
	if (start >= end)
		return;
	if (!out.empty() && out.back().end == start &&
	    out.back().symbol == owner.symbol) {
		out.back().end = end;
		return;
	}
	out.push_back({start, end, owner.extent, owner.symbol});
}

// Flattens intervals into non-overlapping pieces; the innermost (latest
// starting) interval owns each address.
std::vector<Piece> flatten(std::vector<Interval> intervals)
{
	std::sort(intervals.begin(), intervals.end(),
		  [](const Interval &a, const Interval &b) {
			  return std::tie(a.start, b.end, a.rank, a.symbol) <
				 std::tie(b.start, a.end, b.rank, b.symbol);
		  });
	// Aliases: keep the preferred of each identical [start, end).
	intervals.erase(std::unique(intervals.begin(), intervals.end(),
				    [](const Interval &a, const Interval &b) {
					    return a.start == b.start &&
						   a.end == b.end;
				    }),
			intervals.end());

	std::vector<Piece> out;
	std::vector<const Interval *> open;	// enclosing intervals, innermost last
	uint64_t cursor = 0;
	auto close_until = [&](uint64_t limit) {
		while (!open.empty() && open.back()->end <= limit) {
			append(out, cursor, open.back()->end, *open.back());
			cursor = std::max(cursor, open.back()->end);
			open.pop_back();
		}
		if (!open.empty())
			append(out, cursor, limit, *open.back());
		cursor = std::max(cursor, limit);
	};
	for (const Interval &interval : intervals) {
		close_until(interval.start);
		open.push_back(&interval);
	}
	close_until(UINT64_MAX);
	return out;
}

// `primary` wins wherever it has a piece; `secondary` fills the gaps.
std::vector<Piece> overlay(const std::vector<Piece> &primary,
			   const std::vector<Piece> &secondary)
{
	std::vector<Piece> gaps;
	size_t p = 0;
	for (const Piece &piece : secondary) {
		uint64_t cursor = piece.start;
		while (p < primary.size() && primary[p].end <= cursor)
			p++;
		size_t q = p;
		while (cursor < piece.end) {
			if (q < primary.size() && primary[q].start <= cursor) {
				cursor = std::max(cursor, primary[q].end);
				q++;
				continue;
			}
			uint64_t next = piece.end;
			if (q < primary.size())
				next = std::min(next, primary[q].start);
			gaps.push_back({cursor, next, piece.extent, piece.symbol});
			cursor = next;
		}
	}
	std::vector<Piece> merged;
	merged.reserve(primary.size() + gaps.size());
	std::merge(primary.begin(), primary.end(), gaps.begin(), gaps.end(),
		   std::back_inserter(merged),
		   [](const Piece &a, const Piece &b) { return a.start < b.start; });
	return merged;
}

// Runs of starts[1..] with no gap wider than 256 buckets between
// neighbours: [first, last] index pairs.
std::vector<std::pair<size_t, size_t>> split_regions(
	const std::vector<uint64_t> &starts, unsigned shift)
{
	uint64_t gap_limit = shift >= 56 ? UINT64_MAX : uint64_t(256) << shift;
	std::vector<std::pair<size_t, size_t>> regions;
	for (size_t i = 1; i < starts.size();) {
		size_t j = i;
		while (j + 1 < starts.size() && starts[j + 1] - starts[j] <= gap_limit)
			j++;
		regions.emplace_back(i, j);
		i = j + 1;
	}
	return regions;
}

uint64_t bucket_count(const std::vector<uint64_t> &starts,
		      std::pair<size_t, size_t> region, unsigned shift)
{
	return ((starts[region.second] - starts[region.first]) >> shift) + 1;
}

} // namespace

AddressIndex AddressIndex::build(const SymbolTable &table)
{
	std::vector<uint64_t> addresses;
	for (uint32_t i = 1; i < table.entry_count(); i++) {
		if (takes_part(table.raw(i)))
			addresses.push_back(table.raw(i).st_value);
	}
	std::sort(addresses.begin(), addresses.end());
	addresses.erase(std::unique(addresses.begin(), addresses.end()),
			addresses.end());

	std::vector<Interval> sized, unsized;
	for (uint32_t i = 1; i < table.entry_count(); i++) {
		const Elf64_Sym &sym = table.raw(i);
		if (!takes_part(sym))
			continue;
		uint64_t start = sym.st_value;
		if (sym.st_size != 0) {
			// Clamp rather than wrap at the top of the address space.
			uint64_t end = start + sym.st_size < start ?
					       UINT64_MAX : start + sym.st_size;
			sized.push_back({start, end, sym.st_size, i,
					 preference(sym)});
			continue;
		}
		auto next = std::upper_bound(addresses.begin(), addresses.end(),
					     start);
		if (next == addresses.end())
			unsized.push_back({start, start + 1, 0, i,
					   preference(sym)});
		else
			unsized.push_back({start, *next, *next - start, i,
					   preference(sym)});
	}

	std::vector<Piece> pieces = overlay(flatten(std::move(sized)),
					    flatten(std::move(unsized)));
	AddressIndex index;
	index.starts_.reserve(pieces.size() + 1);
	index.segments_.reserve(pieces.size() + 1);
	index.starts_.push_back(0);
	index.segments_.push_back({0, 0, 0, 0, 0});
	for (const Piece &piece : pieces) {
		const Elf64_Sym &owner = table.raw(piece.symbol);
		index.starts_.push_back(piece.start);
		index.segments_.push_back({piece.end, owner.st_value, piece.extent,
					   piece.symbol, owner.st_name});
	}

	// The smallest shift that keeps the table at about one bucket for
	// every two segments.  At the widest shift there is one region of at
	// most two buckets, so the loop always ends.
	const std::vector<uint64_t> &starts = index.starts_;
	uint64_t budget = std::max<uint64_t>(2, pieces.size() / 2);
	std::vector<std::pair<size_t, size_t>> regions;
	for (unsigned shift = 0; shift < 64; shift++) {
		regions = split_regions(starts, shift);
		uint64_t total = 0;
		for (auto region : regions)
			total += bucket_count(starts, region, shift);
		if (total <= budget) {
			index.shift_ = shift;
			break;
		}
	}

	// The sentinel region below every start: its one entry pair points at
	// the sentinel segment.
	index.regions_.push_back({0, 0, 0});
	index.buckets_ = {0, 0};
	for (auto [first, last] : regions) {
		uint64_t base = starts[first];
		uint64_t buckets = bucket_count(starts, {first, last}, index.shift_);
		index.regions_.push_back({base,
					  static_cast<uint32_t>(index.buckets_.size()),
					  static_cast<uint32_t>(buckets)});
		size_t k = first;
		for (uint64_t b = 0; b < buckets; b++) {
			uint64_t bucket_start = base + (b << index.shift_);
			while (k < last && starts[k + 1] <= bucket_start)
				k++;
			index.buckets_.push_back(static_cast<uint32_t>(k));
		}
		index.buckets_.push_back(static_cast<uint32_t>(last));
		index.buckets_.push_back(static_cast<uint32_t>(last));
	}
	return index;
}

void AddressIndex::find_many(const uint64_t *addresses, size_t count,
			     const Segment **out) const
{
	constexpr size_t group = 16;
	const uint32_t *pairs[group];
	size_t found[group];
	for (size_t pos = 0; pos < count; pos += group) {
		const uint64_t *batch = addresses + pos;
		size_t n = std::min(group, count - pos);
		for (size_t i = 0; i < n; i++) {
			pairs[i] = bounds(batch[i]);
			__builtin_prefetch(pairs[i]);
		}
		for (size_t i = 0; i < n; i++) {
			// Buckets hold a few starts: the first and last line
			// cover them nearly always.
			__builtin_prefetch(&starts_[pairs[i][0]]);
			__builtin_prefetch(&starts_[pairs[i][1]]);
		}
		for (size_t i = 0; i < n; i++) {
			found[i] = search(batch[i], pairs[i]);
			__builtin_prefetch(&segments_[found[i]]);
		}
		for (size_t i = 0; i < n; i++)
			out[pos + i] = check(batch[i], found[i]);
	}
}

} // namespace ksyms
