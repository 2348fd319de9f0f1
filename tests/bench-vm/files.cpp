// SPDX-License-Identifier: BSD-2-Clause
// What files.h declares.

#include "files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace bench {

Result<Fd> open_path(const std::string &path, int flags)
{
	Fd fd(::open(path.c_str(), flags | O_CLOEXEC));
	if (!fd.valid())
		return errno_error("open " + path);
	return fd;
}

namespace {

// Appends everything up to EOF, in 1 MiB reads.
Status read_to_end(int fd, std::string &buf)
{
	constexpr std::size_t chunk = 1 << 20;
	for (;;) {
		std::size_t used = buf.size();
		buf.resize(used + chunk);
		ssize_t n = ::read(fd, buf.data() + used, chunk);
		buf.resize(used + (n > 0 ? n : 0));
		if (n == 0)
			return success();
		if (n < 0 && errno != EINTR)
			return errno_error("read");
	}
}

} // namespace

Result<std::string> read_file(const std::string &path)
{
	auto fd = open_path(path, O_RDONLY);
	if (!fd.ok())
		return fd.error();
	std::string buf;
	if (auto s = read_to_end(fd->get(), buf); !s.ok())
		return Error{"read " + path, s.error().err};
	return buf;
}

Status write_file(const std::string &path, std::string_view text)
{
	auto fd = open_path(path, O_WRONLY);
	if (!fd.ok())
		return fd.error();
	if (::write(fd->get(), text.data(), text.size()) != ssize_t(text.size()))
		return errno_error("write " + path);
	return fd->close();
}

Status TextBuffer::read_path(const char *path)
{
	auto fd = open_path(path, O_RDONLY);
	if (!fd.ok())
		return fd.error();
	for (;;) {
		if (len_ + 1 >= cap_) {	// room for a NUL after the text
			std::size_t cap = cap_ ? cap_ * 2 : std::size_t(1) << 20;
			void *p = p_ ? mremap(p_, cap_, cap, MREMAP_MAYMOVE)
				     : mmap(nullptr, cap, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				return errno_error("mmap");
			p_ = static_cast<char *>(p), cap_ = cap;
		}
		ssize_t n = ::read(fd->get(), p_ + len_, cap_ - 1 - len_);
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR)
			return errno_error(std::string("read ") + path);
		len_ += n > 0 ? std::size_t(n) : 0;
	}
	p_[len_] = '\0';
	return fd->close();
}

} // namespace bench
