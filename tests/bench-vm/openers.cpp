// SPDX-License-Identifier: BSD-2-Clause
// Section 9: opens from several processes at once. Every open takes the
// driver's cache mutex for the length of its lookup, so opens from many
// processes queue there; this shows what that does to their total rate,
// for 1, 2 and 8 processes in turns, on the VM's CPUs.

#include "compare.h"
#include "files.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <vector>

namespace bench {

namespace {

constexpr std::array<int, 3> process_counts = {1, 2, 8};

// @procs processes each make opens+closes warm opens of the device, all
// released at once; the opens per second of them all, from the release
// to the last one's end (each child reports its end time).
Result<double> opens_per_second(int procs, int opens)
{
	int go[2], done[2];
	if (pipe2(go, O_CLOEXEC) != 0)
		return errno_error("pipe2");
	Fd go_r(go[0]), go_w(go[1]);
	if (pipe2(done, O_CLOEXEC) != 0)
		return errno_error("pipe2");
	Fd done_r(done[0]), done_w(done[1]);
	std::vector<pid_t> kids;
	for (int i = 0; i < procs; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return errno_error("fork");
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			char c;
			if (::read(go_r.get(), &c, 1) != 1)
				_exit(1);
			for (int k = 0; k < opens; k++)
				if (!open_close(KSYMS_PATH).ok())
					_exit(1);
			double end = now_ns();
			_exit(::write(done_w.get(), &end, sizeof(end)) == sizeof(end) ? 0 : 1);
		}
		kids.push_back(pid);
	}
	done_w = Fd();	// a child that dies early then ends the reads below
	double start = now_ns(), last = start;
	std::vector<char> release(std::size_t(procs), 'g');
	bool ok = ::write(go_w.get(), release.data(), release.size()) == ssize_t(release.size());
	for (int i = 0; ok && i < procs; i++) {
		double end;
		ok = ::read(done_r.get(), &end, sizeof(end)) == sizeof(end);
		last = ok && end > last ? end : last;
	}
	bool clean = true;
	for (pid_t pid : kids) {
		int status = 0;
		if (!ok)
			kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		clean = clean && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	if (!ok || !clean)
		return Error{fmt("an opener of %d failed", procs)};
	return double(procs) * opens / ((last - start) / 1e9);
}

} // namespace

Status bench_openers(const Options &o, Report &rep)
{
	if (auto s = open_close(KSYMS_PATH); !s.ok())
		return s;
	std::array<std::vector<double>, process_counts.size()> rates;
	for (int r = 0; r < o.reps; r++)
		for (std::size_t i = 0; i < process_counts.size(); i++) {
			auto rate = opens_per_second(process_counts[i], o.warm_iters);
			if (!rate.ok())
				return rate.error();
			rates[i].push_back(*rate);
		}
	Spread one = spread(rates[0]);
	for (std::size_t i = 0; i < process_counts.size(); i++) {
		Spread s = spread(rates[i]);
		rep.row({fmt("warm opens+closes per second, %d process(es) at once, %d each (%d runs, in turns)",
			     process_counts[i], o.warm_iters, o.reps),
			 fmt("%.0f / %.0f / %.0f", s.min, s.med, s.max), i ? "1 process" : "",
			 i ? fmt("%.0f / %.0f / %.0f", one.min, one.med, one.max) : "",
			 i ? ratio_text(s.med / one.med) : "", "-", "-"});
	}
	return success();
}

} // namespace bench
