// SPDX-License-Identifier: BSD-2-Clause
// Turning addresses into text: one address, or every address in a stream.
#ifndef KSYMS_SYMBOLIZE_H
#define KSYMS_SYMBOLIZE_H

#include <ksyms/export.h>
#include <ksyms/snapshot.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ksyms {

// "name+0xoff/0xsize", then " [module]" when the module is known, or
// " [module buildid]" when its build ID is known too: the kernel's own %pS
// and %pSb formats (neither names vmlinux or its build ID).
[[nodiscard]] KSYMS_API std::string format_match(const AddressMatch &match);
KSYMS_API void append_match(std::string &out, const AddressMatch &match);
// The same from the parts, for a caller that has an AddressLocation.
KSYMS_API void append_match(std::string &out, std::string_view name,
			    uint64_t offset, uint64_t size,
			    std::string_view module = {},
			    std::span<const uint8_t> build_id = {});
// Lower-case hex, two digits a byte, as readelf -n and debuginfod write
// build IDs.
[[nodiscard]] KSYMS_API std::string format_build_id(
	std::span<const uint8_t> build_id);

struct RewriteOptions {
	// Addresses below this are not kernel-looking and are left alone, so
	// that "error 0x18" never becomes an absolute symbol.  The default is
	// the upper-half canonical range every 64-bit kernel (x86_64, arm64)
	// places its text, data and modules in.
	uint64_t min_address = 0xffff000000000000ull;
};

// Rewrites every kernel address in a stream of text as
// "addr (name+0xoff/0xsize [module])" (append_match()), leaving every other
// byte as it was.
//
// A candidate is a whole word (a maximal run of [0-9A-Za-z_]) that is either
// 0x or 0X followed by 1 to 16 hex digits, or exactly 16 hex digits, whose
// value is at least min_address and falls inside a symbol.  Text arrives in
// chunks of any size; a word cut by a chunk boundary is held back (at most
// 18 bytes) until the next chunk or finish() decides it.
class KSYMS_API AddressRewriter {
public:
	explicit AddressRewriter(const Snapshot &snapshot,
				 RewriteOptions options = {});

	// Appends the rewritten form of `chunk` to `out` (what it can decide).
	void feed(std::string_view chunk, std::string &out);
	// Appends whatever was held back; the rewriter is then ready for a new
	// stream.
	void finish(std::string &out);

	// Addresses rewritten so far.
	uint64_t rewritten() const { return rewritten_; }

private:
	struct Candidate {
		size_t start, end;	// the word's bytes in the chunk
	};

	struct Annotation;

	KSYMS_PRIVATE void emit_word(std::string_view word, std::string &out);
	KSYMS_PRIVATE void emit_location(uint64_t address,
					 const AddressLocation &location,
					 std::string &out);
	KSYMS_PRIVATE size_t emit_candidates(const char *data, size_t count,
					     size_t copied, std::string &out);
	KSYMS_PRIVATE Annotation annotation(
		uint64_t address, const AddressLocation &location) const;
	KSYMS_PRIVATE static size_t annotation_bound(
		const Annotation &annotation);
	KSYMS_PRIVATE char *put_annotation(char *out,
					   const AddressLocation &location,
					   const Annotation &annotation);

	const Snapshot *snapshot_;
	// Per chunk, reused (the first so many entries): its candidate words,
	// their addresses and where they fall, looked up in one
	// Snapshot::locate() batch.
	std::vector<Candidate> candidates_;
	std::vector<uint64_t> addresses_;
	std::vector<AddressLocation> locations_;
	RewriteOptions options_;
	// Whether the snapshot has an object table, and the object of the
	// last annotation: consecutive addresses are mostly in one object.
	bool has_objects_;
	mutable const ObjectInfo *last_object_ = nullptr;
	// Where a group of candidates is written before it is appended to the
	// output: growing the output first would zero it all.
	std::unique_ptr<char[]> scratch_;
	size_t scratch_size_ = 0;
	std::string held_;	// start of a word the last chunk ended inside
	bool in_long_word_ = false;	// that word is too long to be a candidate
	uint64_t rewritten_ = 0;
};

// Parses an address as the command line and the rewriter accept it:
// optional 0x/0X, then 1 to 16 hex digits and nothing else.
[[nodiscard]] KSYMS_API std::optional<uint64_t> parse_address(
	std::string_view text);

} // namespace ksyms

#endif
