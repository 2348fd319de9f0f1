// SPDX-License-Identifier: BSD-2-Clause
// Descriptors, whole-file reads and writes, and TextBuffer: the buffer the
// /proc/kallsyms side of a comparison reads into.
#ifndef KSYMS_BENCH_VM_FILES_H
#define KSYMS_BENCH_VM_FILES_H

#include "result.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace bench {

class Fd {
public:
	explicit Fd(int fd = -1) : fd_(fd) {}
	Fd(Fd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
	Fd &operator=(Fd &&o) noexcept { std::swap(fd_, o.fd_); return *this; }
	~Fd() { if (fd_ >= 0) ::close(fd_); }
	int get() const { return fd_; }
	bool valid() const { return fd_ >= 0; }
	Status close()
	{
		if (::close(std::exchange(fd_, -1)) != 0)
			return errno_error("close");
		return success();
	}

private:
	int fd_;
};

Result<Fd> open_path(const std::string &path, int flags);

Result<std::string> read_file(const std::string &path);

Status write_file(const std::string &path, std::string_view text);

// A file read whole with read() into one anonymous mapping, grown (doubled
// with mremap) as needed and unmapped at the end, as a one-shot tool's
// buffer is: its page faults count in every run, as the device mapping's
// do. (A malloc'ed buffer would come back from the heap already faulted
// in after the first run.)
class TextBuffer {
public:
	TextBuffer() = default;
	TextBuffer(const TextBuffer &) = delete;
	TextBuffer &operator=(const TextBuffer &) = delete;
	~TextBuffer()
	{
		if (p_)
			munmap(p_, cap_);
	}
	char *data() { return p_; }
	std::size_t size() const { return len_; }

	Status read_path(const char *path);

private:
	char *p_ = nullptr;
	std::size_t len_ = 0, cap_ = 0;
};

} // namespace bench

#endif
