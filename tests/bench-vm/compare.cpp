// SPDX-License-Identifier: BSD-2-Clause
// What compare.h declares.

#include "compare.h"

#include "driver_state.h"

#include <linux/ksyms.h>

#include <sys/resource.h>

namespace bench {

long rusage_faults(bool major)
{
	rusage ru{};
	getrusage(RUSAGE_SELF, &ru);
	return major ? ru.ru_majflt : ru.ru_minflt;
}

long privilege_probes()
{
	auto st = read_stats();
	return st.ok() ? long(st->stat("privilege_probes")) : -1;
}

Status nothing() { return success(); }

namespace {

std::string faults_text(const Side &s)
{
	return "minor " + count_text(s.minflt()) + ", major " + count_text(s.majflt());
}

std::string sum_text(const Side &s)
{
	const Consumed *c = s.same();
	return c ? fmt("%016llx, %zu symbols", (unsigned long long)c->sum, c->count)
		 : std::string("differs between runs");
}

} // namespace

void pair_rows(Report &rep, const std::string &name, const std::string &measure,
	       const std::string &against, const std::string &covers, const Pair &p,
	       bool show_probes)
{
	rep.row({"  page faults per run: " + measure + (show_probes ? ", privilege probes " +
		 count_text(p.a.probes()) : std::string()),
		 faults_text(p.a), against, faults_text(p.b), "", "", ""});
	rep.check(name + "_checksums_agree", {"  checksum of " + covers + ", every run",
		  sum_text(p.a), against, sum_text(p.b), "", "equal", ""}, p.sums_agree());
}

Result<Run> cold_ksyms_open()
{
	return timed_run([]() -> Result<Consumed> {
		if (auto s = open_close(KSYMS_PATH); !s.ok())
			return s.error();
		return Consumed{};
	});
}

Result<Run> warm_batch(const Options &o, const char *path)
{
	return batch_run(o.warm_iters, [path] { return open_close(path); });
}

Result<Pair> warm_against_null(const Options &o)
{
	if (auto s = open_close(KSYMS_PATH); !s.ok())
		return s.error();
	return interleave(o.batches, nothing, [&] { return warm_batch(o, KSYMS_PATH); },
			  [&] { return warm_batch(o, "/dev/null"); });
}

} // namespace bench
