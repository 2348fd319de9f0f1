// SPDX-License-Identifier: BSD-2-Clause
#include "atomic_file.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <random>

namespace ksyms {

namespace {

class FileDescriptor {
public:
	explicit FileDescriptor(int fd) : fd_(fd) {}
	FileDescriptor(const FileDescriptor &) = delete;
	FileDescriptor &operator=(const FileDescriptor &) = delete;
	~FileDescriptor()
	{
		if (fd_ >= 0)
			::close(fd_);
	}
	int get() const { return fd_; }
	// close(2) can report a deferred write error: let the caller see it.
	int close()
	{
		int result = ::close(fd_);
		fd_ = -1;
		return result;
	}

private:
	int fd_;
};

std::string directory_of(const std::string &path)
{
	size_t slash = path.rfind('/');
	if (slash == std::string::npos)
		return ".";
	if (slash == 0)
		return "/";
	return path.substr(0, slash);
}

// O_EXCL with a random suffix, like mkstemp, but with mode 0666 & ~umask
// so that the saved file gets the permissions any new file would.
int create_temporary(const std::string &path, std::string &temporary)
{
	std::random_device random;
	for (int attempt = 0; attempt < 100; attempt++) {
		temporary = path + ".tmp" + std::to_string(random());
		int fd = ::open(temporary.c_str(),
				O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

} // namespace

Error write_file_atomically(const std::string &path,
			    std::span<const std::byte> bytes)
{
	std::string temporary;
	FileDescriptor fd(create_temporary(path, temporary));
	if (fd.get() < 0)
		return Error::from_errno(errno, path);

	auto fail = [&](int code, std::string_view what) {
		::unlink(temporary.c_str());
		return Error::from_errno(code, path, what);
	};
	const std::byte *data = bytes.data();
	size_t left = bytes.size();
	while (left > 0) {
		ssize_t written = ::write(fd.get(), data, left);
		if (written < 0) {
			if (errno == EINTR)
				continue;
			return fail(errno, "write");
		}
		data += written;
		left -= written;
	}
	if (::fsync(fd.get()) != 0)
		return fail(errno, "fsync");
	if (fd.close() != 0)
		return fail(errno, "close");
	if (::rename(temporary.c_str(), path.c_str()) != 0)
		return fail(errno, "rename");

	// Make the rename itself durable.  A directory that cannot be opened
	// or synced (some file systems refuse) does not undo the save.
	std::string directory = directory_of(path);
	int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0) {
		::fsync(dir);
		::close(dir);
	}
	return Error();
}

Expected<std::string> read_whole_file(const std::string &path)
{
	FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (fd.get() < 0)
		return Error::from_errno(errno, path);
	std::string text;
	size_t used = 0;
	for (;;) {
		if (text.size() - used < 65536)
			text.resize(text.size() + (1 << 20));
		ssize_t got = ::read(fd.get(), text.data() + used,
				     text.size() - used);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return Error::from_errno(errno, path, "read");
		}
		if (got == 0)
			break;
		used += got;
	}
	text.resize(used);
	return text;
}

} // namespace ksyms
