// SPDX-License-Identifier: BSD-2-Clause
// Which image bench_symbolize measures on: the saved image of a live
// kernel that $KSYMS_BENCH_IMAGE names (tests/run.sh passes the one the
// benchmark VM saved, tests/vm/live-image.sh), else the generated one
// (kernel_image.h).  $KSYMS_BENCH_IMAGE_LABEL says in the output which it
// is and why.
#ifndef KSYMS_BENCHMARKS_IMAGE_CHOICE_H
#define KSYMS_BENCHMARKS_IMAGE_CHOICE_H

#include "test_image.h"

#include <optional>
#include <string>
#include <vector>

namespace ksyms::bench {

struct LiveImage {
	std::string path;	// what every tool reads
	std::string dir;	// for the files made from it (addresses, outputs)
	std::vector<test::TestSymbol> symbols;	// to draw addresses from
};

// The image $KSYMS_BENCH_IMAGE names, if it is set and not empty (dies if
// it cannot be read).  Its files go in a directory under `base` named by
// its contents, so that addresses drawn from another image are not reused.
std::optional<LiveImage> live_image(const std::string &base);

// "image: ..." for the output: $KSYMS_BENCH_IMAGE_LABEL, else what the
// image is.
std::string image_label(const std::optional<LiveImage> &live);

} // namespace ksyms::bench

#endif
