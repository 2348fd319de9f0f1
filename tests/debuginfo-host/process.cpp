// SPDX-License-Identifier: BSD-2-Clause
#include "process.h"

#include <cstdio>
#include <cstdlib>
#include <spawn.h>
#include <string_view>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace ksyms::test {

Output run(const std::vector<std::string> &argv, const std::string &input,
	   const std::vector<std::string> &environment)
{
	Output out;
	// Files rather than pipes: no deadlock between feeding and reading.
	std::FILE *in = std::tmpfile(), *got = std::tmpfile();
	if (!in || !got)
		return out;
	std::fwrite(input.data(), 1, input.size(), in);
	std::fflush(in);
	std::rewind(in);

	std::vector<char *> args;
	for (const std::string &arg : argv)
		args.push_back(const_cast<char *>(arg.c_str()));
	args.push_back(nullptr);
	std::vector<char *> env;
	for (char **e = environ; *e; e++) {
		std::string_view entry = *e;
		if (!entry.starts_with("DEBUGINFOD_URLS=") &&
		    !entry.starts_with("GLIBC_TUNABLES="))
			env.push_back(*e);
	}
	for (const std::string &entry : environment)
		env.push_back(const_cast<char *>(entry.c_str()));
	env.push_back(nullptr);

	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, fileno(in), 0);
	posix_spawn_file_actions_adddup2(&actions, fileno(got), 1);
	pid_t pid;
	int status = 0;
	struct rusage usage = {};
	if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(),
			 env.data()) == 0 &&
	    wait4(pid, &status, 0, &usage) == pid && WIFEXITED(status))
		out.status = WEXITSTATUS(status);
	out.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
			  (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
	out.minor_faults = usage.ru_minflt;
	posix_spawn_file_actions_destroy(&actions);

	std::rewind(got);
	char buffer[1 << 16];
	size_t n;
	while ((n = std::fread(buffer, 1, sizeof(buffer), got)) > 0)
		out.text.append(buffer, n);
	std::fclose(in);
	std::fclose(got);
	return out;
}

} // namespace ksyms::test
