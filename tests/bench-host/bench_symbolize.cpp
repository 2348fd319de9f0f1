// SPDX-License-Identifier: BSD-2-Clause
// How fast libksyms turns addresses into symbols, like for like with the
// tools people use for it, on the same generated image and addresses:
//  - in process (in_process.h): libksyms' calls against LLVM's symbolizer
//    library and a sorted vector, the image loaded and indexed beforehand
//    (that set-up timed and shown apart);
//  - end to end (end_to_end.h): `ksyms symbolize` against llvm-symbolizer
//    and addr2line -f, each one process with the addresses on stdin and
//    its answers in a file, start-up included.
// Every time is wall-clock time.  Every tool's answers are checked against
// libksyms'.
//
//   bench_symbolize [--benchmark_filter=...]     (Google Benchmark flags)
//
// The image is generated (kernel_image.h, fixed seed) into
// $KSYMS_BENCH_DIR, by default .cache/bench-symbolize in the source tree,
// and reused when it is already there.
//
// It ends with the goals as KTAP lines (tests/run.sh counts them) and
// exits 1 if one is missed or a comparison did not run.
#include "end_to_end.h"
#include "fixture.h"
#include "in_process.h"
#include "report.h"

#include <benchmark/benchmark.h>

#include <cstdio>

int main(int argc, char **argv)
{
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 1;
	ksyms::bench::set_up();
	ksyms::bench::InProcess in_process = ksyms::bench::run_in_process();
	std::fflush(stdout);
	std::vector<ksyms::bench::EndToEnd> tools =
		ksyms::bench::run_end_to_end();
	int failed = ksyms::bench::report(in_process, tools);
	benchmark::Shutdown();
	return failed ? 1 : 0;
}
