// SPDX-License-Identifier: BSD-2-Clause
// Section 6, the shrinker under real memory pressure rather than
// drop_caches: (a) a memory cgroup held over memory.high by a process
// touching twice that, while /dev/ksyms is opened and consumed outside it;
// (b) the whole machine brought down to its watermarks, where the
// kernel's own reclaim (kswapd, then direct reclaim in the faults of the
// process taking the memory) runs every shrinker, and the first open
// after each drop timed.
//
// The driver's shrinker is not memcg-aware (its cache is charged to no
// cgroup), and the kernel's reclaim for a cgroup runs only memcg-aware
// shrinkers: (a) shows what that means for the cache (it stays), (b) is
// the pressure that reaches it.

#include "consume.h"
#include "driver_state.h"
#include "files.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

namespace {

const std::string cg_root = "/sys/fs/cgroup", cg = cg_root + "/ksyms-bench-hog";
constexpr std::size_t MiB = 1 << 20;
constexpr std::size_t cg_high = 64 * MiB;
constexpr int cg_opens = 8;
constexpr int global_cycles = 4;
constexpr int press_timeout_s = 30;
// How far below the floor the hog goes when kswapd has stopped: more than
// the cache, less than the machine can spare.
constexpr std::size_t dip_cap = 64 * MiB;
// What the global hog gives back after each drop: room for the rebuild,
// so that the open is timed near the watermarks but not in an OOM.
constexpr std::size_t headroom = 128 * MiB;

Status ensure_cgroup2()
{
	if (access((cg_root + "/cgroup.controllers").c_str(), F_OK) != 0 &&
	    mount("cgroup2", cg_root.c_str(), "cgroup2", 0, nullptr) != 0)
		return errno_error("mount cgroup2 on " + cg_root);
	auto ctl = read_file(cg_root + "/cgroup.controllers");
	if (!ctl.ok())
		return ctl.error();
	if (ctl->find("memory") == std::string::npos)
		return Error{"no memory controller in " + cg_root + "/cgroup.controllers"};
	if (auto s = write_file(cg_root + "/cgroup.subtree_control", "+memory"); !s.ok())
		return s;
	if (mkdir(cg.c_str(), 0755) != 0 && errno != EEXIST)
		return errno_error("mkdir " + cg);
	return write_file(cg + "/memory.high", std::to_string(cg_high));
}

// One "name value" field of a flat keyed file (memory.events).
Result<std::int64_t> keyed(const std::string &path, const std::string &name)
{
	auto text = read_file(path);
	if (!text.ok())
		return text.error();
	std::istringstream in(*text);
	std::string k;
	std::int64_t v;
	while (in >> k >> v)
		if (k == name)
			return v;
	return Error{path + ": no " + name};
}

// The zone with the most pages: whether its free pages are above the
// point between its min and low watermarks. Below low kswapd reclaims;
// staying above min keeps the hog's own faults out of direct reclaim.
bool above_floor()
{
	auto text = read_file("/proc/zoneinfo");
	if (!text.ok())
		return false;
	std::istringstream in(*text);
	std::string line;
	long best = -1, free = 0, min = 0, low = 0, managed = 0;
	long z_free = 0, z_min = 0, z_low = 0;
	auto settle = [&] {
		if (managed > best)
			best = managed, z_free = free, z_min = min, z_low = low;
		free = min = low = managed = 0;
	};
	while (std::getline(in, line)) {
		std::istringstream l(line);
		std::string a, b;
		l >> a;
		if (a == "Node")
			settle();
		else if (a == "pages" && (l >> b) && b == "free")
			l >> free;
		else if (a == "min")
			l >> min;
		else if (a == "low")
			l >> low;
		else if (a == "managed")
			l >> managed;
	}
	settle();
	return z_free > z_min + (z_low - z_min) / 2;
}

// The sum of the /proc/vmstat fields whose names begin with prefix.
Result<std::int64_t> vmstat(const std::string &prefix)
{
	auto text = read_file("/proc/vmstat");
	if (!text.ok())
		return text.error();
	std::istringstream in(*text);
	std::string k;
	std::int64_t v, sum = 0;
	while (in >> k >> v)
		if (k.compare(0, prefix.size(), prefix) == 0)
			sum += v;
	return sum;
}

long shrinker_drops()
{
	ksu_stats st;
	return ksu_stats_read(&st) ? -1 : ksu_stat(&st, "drops_shrinker");
}

void touch(char *p, std::size_t n)
{
	for (std::size_t off = 0; off < n; off += 4096)
		p[off] = 1;
}

// (a) in the cgroup: touch 2 * memory.high of anonymous memory, again
// and again, until killed.
[[noreturn]] void cgroup_hog()
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (write_file(cg + "/cgroup.procs", "0").ok())
		for (;;) {
			void *p = mmap(nullptr, 2 * cg_high, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				_exit(1);
			touch(static_cast<char *>(p), 2 * cg_high);
			munmap(p, 2 * cg_high);
		}
	_exit(1);
}

// (b) on command 'p': touch memory a MiB at a time while the machine is
// above the floor, so that kswapd reclaims. kswapd stops being woken for
// a node after runs in which it counts no page reclaimed, and it was seen
// to drop the cache the first time only; so when it has not in a second,
// go on below the floor: the faults then reclaim directly, down every
// priority, and that reaches the shrinker. At most dip_cap past the stall, so that if
// nothing frees memory the OOM killer is not what ends it. Stop when the
// shrinker drops the cache or the time runs out; answer 1 or 0, then
// give back the headroom. 'x': exit.
[[noreturn]] void global_hog(int cmd, int ack)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	(void)write_file("/proc/self/oom_score_adj", "1000");	// the one to kill
	std::size_t size = std::size_t(sysconf(_SC_PHYS_PAGES)) * 4096, used = 0;
	char *base = static_cast<char *>(mmap(nullptr, size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
	char c;
	while (base != MAP_FAILED && ::read(cmd, &c, 1) == 1 && c == 'p') {
		long drops = shrinker_drops();
		double start = now_ns(), deadline = start + press_timeout_s * 1e9;
		std::size_t stalled_at = 0;
		bool fired = false;
		while (!fired && now_ns() < deadline) {
			bool above = above_floor();
			if (!above && !stalled_at && now_ns() > start + 1e9)
				stalled_at = used;
			bool dip = stalled_at && used < stalled_at + dip_cap;
			if ((above || dip) && used + MiB <= size) {
				touch(base + used, MiB);
				used += MiB;
			} else {
				usleep(5000);
			}
			fired = shrinker_drops() > drops;
		}
		std::size_t back = used < headroom ? used : headroom;
		madvise(base + used - back, back, MADV_DONTNEED);
		used -= back;
		char r = char((fired ? 1 : 0) | (stalled_at ? 2 : 0));
		if (::write(ack, &r, 1) != 1)
			break;
	}
	_exit(0);
}

struct Child {
	pid_t pid = -1;
	~Child()
	{
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, nullptr, 0);
		}
	}
};

struct Counts {
	std::int64_t builds, drops;
};

Result<Counts> counts()
{
	auto st = read_stats();
	if (!st.ok())
		return st.error();
	return Counts{std::int64_t(st->stat("snapshot_builds")),
		      std::int64_t(st->stat("drops_shrinker"))};
}

Result<double> timed_consume()
{
	return time_once([] { return consume_ksyms(); });
}

Status cgroup_pressure(Report &rep)
{
	if (auto s = ensure_cgroup2(); !s.ok())
		return s;
	if (auto s = open_close(KSYMS_PATH); !s.ok())	// start with the cache held
		return s;
	auto ev0 = keyed(cg + "/memory.events", "high");
	auto c0 = counts();
	if (const Error *e = first_error(ev0, c0))
		return *e;
	Child hog;
	if ((hog.pid = fork()) < 0)
		return errno_error("fork");
	if (hog.pid == 0)
		cgroup_hog();
	std::vector<double> t;
	for (int i = 0; i < cg_opens; i++) {
		usleep(250000);
		auto ns = timed_consume();
		if (!ns.ok())
			return ns.error();
		t.push_back(*ns);
	}
	auto ev = keyed(cg + "/memory.events", "high");
	auto cur = read_file(cg + "/memory.current");
	auto c = counts();
	if (const Error *e = first_error(ev, cur, c))
		return *e;
	rep.row({fmt("memcg memory.high %zu MiB, hog touching %zu MiB: %d opens outside",
		     cg_high / MiB, 2 * cg_high / MiB, cg_opens),
		 fmt("builds +%lld, shrinker drops +%lld",
		     (long long)(c->builds - c0->builds), (long long)(c->drops - c0->drops)),
		 "cgroup's memory.events high, memory.current",
		 fmt("+%lld, %s", (long long)(*ev - *ev0),
		     human_bytes(std::stod(*cur)).c_str()), "", "", ""});
	rep.row({"consume under the memcg's pressure", human_time(spread(t)), "", "", "", "",
		 ""});
	return success();
}

Status global_pressure(Report &rep)
{
	int cmd[2], ack[2];
	if (pipe2(cmd, O_CLOEXEC) != 0 || pipe2(ack, O_CLOEXEC) != 0)
		return errno_error("pipe2");
	Fd cmd_r(cmd[0]), cmd_w(cmd[1]), ack_r(ack[0]), ack_w(ack[1]);
	Child hog;
	if ((hog.pid = fork()) < 0)
		return errno_error("fork");
	if (hog.pid == 0)
		global_hog(cmd_r.get(), ack_w.get());
	ack_w = Fd();
	auto c0 = counts();
	if (!c0.ok())
		return c0.error();
	auto k0 = vmstat("pageoutrun"), d0 = vmstat("allocstall_");
	if (const Error *e = first_error(k0, d0))
		return *e;
	std::vector<double> cold;
	int fired = 0, dipped = 0;
	for (int i = 0; i < global_cycles; i++) {
		if (auto s = open_close(KSYMS_PATH); !s.ok())	// the cache holds it
			return s;
		char r;
		if (::write(cmd_w.get(), "p", 1) != 1)
			return errno_error("write to hog");
		if (::read(ack_r.get(), &r, 1) != 1)
			return Error{"the pressure process died (OOM-killed?)"};
		fired += r & 1;
		dipped += (r & 2) >> 1;
		auto ns = timed_consume();	// cold when the shrinker dropped
		if (!ns.ok())
			return ns.error();
		if (r & 1)
			cold.push_back(*ns);
	}
	auto c = counts();
	auto k = vmstat("pageoutrun"), d = vmstat("allocstall_");
	if (const Error *e = first_error(c, k, d))
		return *e;
	rep.row({"reclaim during the global pressure (/proc/vmstat)",
		 fmt("kswapd runs +%lld, direct reclaim stalls +%lld", (long long)(*k - *k0),
		     (long long)(*d - *d0)), "cycles that went below the floor",
		 fmt("%d of %d", dipped, global_cycles), "", "", ""});
	rep.check("shrinker_drops_under_pressure",
		  {fmt("machine below its low watermark, %d times", global_cycles),
		   fmt("shrinker dropped the cache %d times (drops +%lld, builds +%lld)", fired,
		       (long long)(c->drops - c0->drops), (long long)(c->builds - c0->builds)),
		   "", "", "", fmt("every time, within %d s", press_timeout_s), ""},
		  fired == global_cycles);
	rep.row({"cold consume after a shrinker drop, headroom " +
		 human_bytes(double(headroom)) + " free", human_time(spread(cold)), "", "", "",
		 "", ""});
	return success();
}

} // namespace

// 6: what real memory pressure does to the cache.
Status bench_memory_pressure(Report &rep)
{
	auto a = cgroup_pressure(rep);
	rmdir(cg.c_str());
	if (!a.ok())
		rep.fail("memory_pressure_cgroup", a.error());
	return global_pressure(rep);
}

} // namespace bench
