// SPDX-License-Identifier: BSD-2-Clause
// Section 5, holders: 64 processes each holding /dev/ksyms open and its
// image mapped and read share one snapshot, and leave nothing behind when
// they go.

#include "driver_state.h"
#include "files.h"
#include "sections.h"

#include <linux/ksyms.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <system_error>
#include <vector>

namespace bench {

namespace {

// 64 processes that each open /dev/ksyms on command and hold it.
class Holders {
public:
	static Result<Holders> spawn(int n)
	{
		Holders h;
		int ack[2];
		if (pipe2(ack, O_CLOEXEC) != 0)
			return errno_error("pipe2");
		h.ack_ = Fd(ack[0]);
		Fd ack_w(ack[1]);
		for (int i = 0; i < n; i++)
			if (auto s = h.spawn_one(ack_w.get()); !s.ok())
				return s.error();
		for (int i = 0; i < n; i++)	// every child is up and blocked
			if (auto s = h.await_ack(); !s.ok())
				return s.error();
		return h;
	}
	Holders(Holders &&) = default;
	Holders &operator=(Holders &&) = delete;
	~Holders()
	{
		for (const Child &c : kids_)
			kill(c.pid, SIGKILL);
		(void)reap();
	}
	Status open_in(std::size_t i) { return command(i, 'o'); }
	// Tell every child to exit and reap it.
	Status release()
	{
		for (std::size_t i = 0; i < kids_.size(); i++)
			if (auto s = command(i, 'x'); !s.ok())
				return s;
		return reap();
	}

private:
	struct Child {
		pid_t pid;
		Fd cmd;
	};
	Holders() = default;

	// Every page read, so that each holder's page tables for the image
	// exist and count in the kernel memory measured.
	static unsigned char map_and_touch(int fd)
	{
		std::size_t size = 0;
		void *addr = nullptr;
		if (ioctl(fd, KIOCGSIZE, &size) != 0 || ioctl(fd, KIOCGADDR, &addr) != 0)
			return (unsigned char)errno;
		const volatile char *p = static_cast<const char *>(addr);
		const std::size_t page = sysconf(_SC_PAGESIZE);
		for (std::size_t off = 0; off < size; off += page)
			(void)p[off];
		return 0;
	}

	[[noreturn]] static void child_main(int cmd, int ack)
	{
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		unsigned char reply = 0, c = 0;
		while (::write(ack, &reply, 1) == 1) {	// ready, or the open's errno
			ssize_t n;
			while ((n = ::read(cmd, &c, 1)) < 0 && errno == EINTR)
				;
			if (n != 1 || c != 'o')
				_exit(n == 1 && c == 'x' ? 0 : 1);
			// held, and mapped, until the child exits
			int fd = ::open(KSYMS_PATH, O_RDONLY | O_CLOEXEC);
			reply = fd < 0 ? (unsigned char)errno : map_and_touch(fd);
		}
		_exit(1);
	}
	Status spawn_one(int ack_w)
	{
		int cmd[2];
		if (pipe2(cmd, O_CLOEXEC) != 0)
			return errno_error("pipe2");
		Fd cmd_r(cmd[0]), cmd_w(cmd[1]);
		pid_t pid = fork();
		if (pid < 0)
			return errno_error("fork");
		if (pid == 0)
			child_main(cmd_r.get(), ack_w);
		kids_.push_back({pid, std::move(cmd_w)});
		return success();
	}
	Status await_ack()
	{
		unsigned char r;
		ssize_t n;
		while ((n = ::read(ack_.get(), &r, 1)) < 0 && errno == EINTR)
			;
		if (n != 1)
			return n < 0 ? errno_error("read ack") : Error{"holder process died"};
		if (r != 0)
			return Error{"open " KSYMS_PATH " in holder", r};
		return success();
	}
	Status command(std::size_t i, char c)
	{
		if (::write(kids_[i].cmd.get(), &c, 1) != 1)
			return errno_error("write to holder");
		return c == 'o' ? await_ack() : success();
	}
	Status reap()
	{
		bool clean = true;
		for (const Child &c : kids_) {
			int status = 0;
			while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR)
				;
			clean = clean && WIFEXITED(status) && WEXITSTATUS(status) == 0;
		}
		kids_.clear();
		return clean ? success() : Status(Error{"a holder process failed"});
	}

	Fd ack_;
	std::vector<Child> kids_;
};

std::size_t open_fds()
{
	std::error_code ec;	// the iterator's own descriptor counts both times
	return std::distance(std::filesystem::directory_iterator("/proc/self/fd", ec), {});
}

// No child left (zombie or not), no descriptor left open.
void check_reaped(Report &rep, std::size_t fds_before)
{
	bool no_child = waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD;
	std::size_t fds = open_fds();
	rep.check("holders_reaped", {"holder processes after release",
		  fmt("%s, %zu fds", no_child ? "none left" : "some left", fds), "fds before",
		  fmt("%zu", fds_before), "", "none left, same fds", ""}, no_child && fds == fds_before);
}

struct HolderMemory {
	std::int64_t m0, m1, m64;	// kernel memory: none, one, all open
	DriverStats at_m64;
};

// Spawn n holders, open in one then all, release them all.
Result<HolderMemory> hold(int n)
{
	auto h = Holders::spawn(n);
	if (!h.ok())
		return h.error();
	Holders holders = std::move(*h);
	auto m0 = kernel_memory();
	auto opened = holders.open_in(0);
	auto m1 = kernel_memory();
	for (int i = 1; i < n && opened.ok(); i++)
		opened = holders.open_in(i);
	auto m64 = kernel_memory();
	auto st = read_stats();
	auto released = holders.release();
	if (const Error *e = first_error(m0, opened, m1, m64, st, released))
		return *e;
	return HolderMemory{*m0, *m1, *m64, *st};
}

} // namespace

// 5: 64 holders share one snapshot: memory grows by ~one open's worth.
Status bench_holders(Report &rep)
{
	if (auto s = drop_caches(); !s.ok())
		return s;
	std::size_t fds = open_fds();
	auto m = hold(64);
	if (!m.ok())
		return m.error();
	double all = double(m->m64 - m->m0), one = double(m->m1 - m->m0), r = all / one;
	rep.check("memory_64_holders", {"kernel memory, 64 holders (M64-M0)", human_bytes(all),
		  "1 holder (M1-M0)", human_bytes(one), ratio_text(r), "<= 1.1", ""}, r <= 1.1);
	// Each holder maps and reads every page: its page tables are the cost
	// of one more holder, the snapshot being shared.
	std::uint64_t bytes = m->at_m64.stat("snapshot_bytes"), page = sysconf(_SC_PAGESIZE);
	std::uint64_t ptes = (bytes + page * 512 - 1) / (page * 512) * page;	// 512 a table
	rep.row({"kernel memory per extra holder ((M64-M1)/63)",
		  human_bytes(double(m->m64 - m->m1) / 63),
		  "page tables for the " + human_bytes(double(bytes)) + " image",
		  human_bytes(double(ptes)), "", "", ""});
	rep.check("one_snapshot_for_64_holders", {"driver at 64 holders",
		  fmt("%llu snapshot(s), %s", (unsigned long long)m->at_m64.stat("snapshots"),
		      human_bytes(double(m->at_m64.stat("snapshot_bytes"))).c_str()),
		  "", "", "", "snapshots == 1", ""}, m->at_m64.stat("snapshots") == 1);
	check_reaped(rep, fds);
	return success();
}

} // namespace bench
