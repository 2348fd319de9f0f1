// SPDX-License-Identifier: BSD-2-Clause
// ksyms_bpf_hold N COMMAND...: loads N tiny BPF programs (socket filters
// named ksyms_hold0...), so that /proc/kallsyms lists them as [bpf], runs
// COMMAND while they stay loaded, and exits with its status.  For the
// test VM, which has no systemd to load any.
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

int load_program(int index)
{
	bpf_insn insns[2] = {};
	insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;	// r0 = 0
	insns[1].code = BPF_JMP | BPF_EXIT;
	bpf_attr attr{};
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = reinterpret_cast<uintptr_t>(insns);
	attr.insn_cnt = 2;
	attr.license = reinterpret_cast<uintptr_t>("GPL");
	std::snprintf(attr.prog_name, sizeof(attr.prog_name), "ksyms_hold%d",
		      index % 1000);
	return static_cast<int>(syscall(__NR_bpf, BPF_PROG_LOAD, &attr,
					sizeof(attr)));
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 3) {
		std::fprintf(stderr, "usage: ksyms_bpf_hold N COMMAND...\n");
		return 2;
	}
	long n = std::strtol(argv[1], nullptr, 10);
	std::vector<int> fds;
	for (long i = 0; i < n; i++) {
		int fd = load_program(static_cast<int>(i));
		if (fd < 0) {
			std::fprintf(stderr, "ksyms_bpf_hold: bpf(BPF_PROG_LOAD): %s\n",
				     std::strerror(errno));
			return 1;
		}
		fds.push_back(fd);
	}
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		std::perror(argv[2]);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	for (int fd : fds)
		close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
