// SPDX-License-Identifier: BSD-2-Clause
#include "address_index.h"

#include "address_order.h"
#include "symbol_table.h"

#include <elf.h>

#include <algorithm>
#include <cstdint>
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

// The order flatten() takes: by start, the longest first, then the
// preferred.
bool precedes(const Interval &a, const Interval &b)
{
	if (a.start != b.start)
		return a.start < b.start;
	return std::tie(b.end, a.rank, a.symbol) <
	       std::tie(a.end, b.rank, b.symbol);
}

// Flattens intervals, given one at a time in precedes() order, into
// non-overlapping pieces; the innermost (latest starting) interval owns
// each address.  One at a time, so that the build keeps no vector of
// every interval: each is made from the symbol table as it is needed.
class Flattener {
public:
	explicit Flattener(size_t intervals) { out_.reserve(intervals); }

	void add(const Interval &interval)
	{
		// Aliases: keep the preferred (the first) of each identical
		// [start, end).
		if (added_ && interval.start == last_start_ &&
		    interval.end == last_end_)
			return;
		added_ = true;
		last_start_ = interval.start;
		last_end_ = interval.end;
		close_until(interval.start);
		open_.push_back(interval);
	}

	std::vector<Piece> finish()
	{
		close_until(UINT64_MAX);
		return std::move(out_);
	}

private:
	void close_until(uint64_t limit)
	{
		while (!open_.empty() && open_.back().end <= limit) {
			append(out_, cursor_, open_.back().end, open_.back());
			cursor_ = std::max(cursor_, open_.back().end);
			open_.pop_back();
		}
		if (!open_.empty())
			append(out_, cursor_, limit, open_.back());
		cursor_ = std::max(cursor_, limit);
	}

	std::vector<Piece> out_;
	std::vector<Interval> open_;	// enclosing intervals, innermost last
	uint64_t cursor_ = 0;
	bool added_ = false;
	uint64_t last_start_ = 0, last_end_ = 0;
};

// The parts of `secondary` outside every piece of `primary`: where
// `primary` has no piece, `secondary` fills the gap.
std::vector<Piece> gaps_filled(const std::vector<Piece> &primary,
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
	return gaps;
}

// The j >= 1 with starts[j + 1] - starts[j] wider than 256: the only gaps
// that can split regions, at any shift.
std::vector<size_t> wide_gaps(const std::vector<uint64_t> &starts)
{
	std::vector<size_t> gaps;
	for (size_t j = 1; j + 1 < starts.size(); j++) {
		if (starts[j + 1] - starts[j] > 256)
			gaps.push_back(j);
	}
	return gaps;
}

// Runs of starts[1..] with no gap wider than 256 buckets between
// neighbours: [first, last] index pairs.  `gaps` holds at least the gaps
// that wide (wide_gaps(), or what this left of it at a smaller shift); the
// narrower ones are dropped from it, so that each wider shift looks at
// fewer.
std::vector<std::pair<size_t, size_t>> split_regions(
	const std::vector<uint64_t> &starts, std::vector<size_t> &gaps,
	unsigned shift)
{
	uint64_t gap_limit = shift >= 56 ? UINT64_MAX : uint64_t(256) << shift;
	std::erase_if(gaps, [&](size_t j) {
		return starts[j + 1] - starts[j] <= gap_limit;
	});
	std::vector<std::pair<size_t, size_t>> regions;
	if (starts.size() < 2)
		return regions;
	size_t first = 1;
	for (size_t j : gaps) {
		regions.emplace_back(first, j);
		first = j + 1;
	}
	regions.emplace_back(first, starts.size() - 1);
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
	std::vector<AddressKey> keys;
	size_t count = 0, sized_count = 0;
	for (uint32_t i = 1; i < table.entry_count(); i++) {
		const Elf64_Sym &sym = table.raw(i);
		count += takes_part(sym);
		sized_count += takes_part(sym) && sym.st_size != 0;
	}
	keys.reserve(count);
	for (uint32_t i = 1; i < table.entry_count(); i++) {
		if (takes_part(table.raw(i)))
			keys.push_back({table.raw(i).st_value, i});
	}
	sort_by_address(keys);

	// Intervals in precedes() order: by start already, so only the few
	// that share a start are sorted here.  A symbol of size 0 ends at the
	// next higher symbol address: the start of the next run.
	Flattener sized(sized_count), unsized(keys.size() - sized_count);
	std::vector<Interval> run_sized, run_unsized;	// one start's
	for (size_t run = 0; run < keys.size();) {
		uint64_t start = keys[run].address;
		size_t end = run + 1;
		while (end < keys.size() && keys[end].address == start)
			end++;
		run_sized.clear();
		run_unsized.clear();
		for (size_t k = run; k < end; k++) {
			uint32_t i = keys[k].symbol;
			const Elf64_Sym &sym = table.raw(i);
			if (sym.st_size != 0) {
				// Clamp rather than wrap at the top of the
				// address space.
				uint64_t last = start + sym.st_size < start ?
							UINT64_MAX :
							start + sym.st_size;
				run_sized.push_back({start, last, sym.st_size, i,
						     preference(sym)});
			} else if (end == keys.size()) {
				run_unsized.push_back({start, start + 1, 0, i,
						       preference(sym)});
			} else {
				uint64_t next = keys[end].address;
				run_unsized.push_back({start, next, next - start,
						       i, preference(sym)});
			}
		}
		if (run_sized.size() > 1)
			std::sort(run_sized.begin(), run_sized.end(), precedes);
		if (run_unsized.size() > 1)
			std::sort(run_unsized.begin(), run_unsized.end(),
				  precedes);
		for (const Interval &interval : run_sized)
			sized.add(interval);
		for (const Interval &interval : run_unsized)
			unsized.add(interval);
		run = end;
	}
	keys = {};

	// The sized pieces and the unsized ones' gaps between them, merged by
	// start straight into the index.
	std::vector<Piece> primary = sized.finish();
	std::vector<Piece> filler = gaps_filled(primary, unsized.finish());
	size_t pieces = primary.size() + filler.size();
	AddressIndex index;
	index.starts_.reserve(pieces + 1);
	index.segments_.reserve(pieces + 1);
	index.starts_.push_back(0);
	index.segments_.push_back({0, 0, 0, 0, 0});
	for (size_t a = 0, b = 0; a + b < pieces;) {
		bool gap = a == primary.size() ||
			   (b < filler.size() &&
			    filler[b].start < primary[a].start);
		const Piece &piece = gap ? filler[b++] : primary[a++];
		const Elf64_Sym &owner = table.raw(piece.symbol);
		index.starts_.push_back(piece.start);
		index.segments_.push_back({piece.end, owner.st_value, piece.extent,
					   piece.symbol, owner.st_name});
	}
	primary = {};
	filler = {};

	// The smallest shift that keeps the table at about one bucket for
	// every two segments.  At the widest shift there is one region of at
	// most two buckets, so the loop always ends.
	const std::vector<uint64_t> &starts = index.starts_;
	uint64_t budget = std::max<uint64_t>(2, pieces / 2);
	std::vector<std::pair<size_t, size_t>> regions;
	std::vector<size_t> gaps = wide_gaps(starts);
	for (unsigned shift = 0; shift < 64; shift++) {
		regions = split_regions(starts, gaps, shift);
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
