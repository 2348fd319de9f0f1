// SPDX-License-Identifier: BSD-2-Clause
#include "mapped_image.h"

#include <linux/ksyms.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace ksyms {

namespace {

Error open_error(int code, const std::string &path, bool is_device)
{
	Error error = Error::from_errno(code, path);
	// The one failure a new user meets first: say what to do about it.
	if (is_device && code == ENOENT)
		return Error(code, error.message() +
				   " (load the ksyms module: modprobe ksyms)");
	return error;
}

} // namespace

Expected<MappedImage> MappedImage::map_file(const std::string &path)
{
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return open_error(errno, path, false);

	struct stat st;
	if (fstat(fd, &st) != 0) {
		int code = errno;
		::close(fd);
		return Error::from_errno(code, path);
	}
	if (S_ISDIR(st.st_mode)) {
		::close(fd);
		return Error::from_errno(EISDIR, path);
	}
	if (st.st_size == 0) {
		::close(fd);
		return Error::with_message(ENOEXEC, path,
					   "empty file, not an ELF image");
	}

	void *data = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	int code = errno;
	// The mapping keeps the file's pages; the descriptor is not needed.
	::close(fd);
	if (data == MAP_FAILED)
		return Error::from_errno(code, path, "mmap");

	MappedImage image;
	image.data_ = static_cast<const std::byte *>(data);
	image.size_ = st.st_size;
	image.unmap_ = true;
	return image;
}

Expected<MappedImage> MappedImage::map_device(const std::string &path)
{
	MappedImage image;
	image.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (image.fd_ < 0)
		return open_error(errno, path, true);

	size_t size = 0;
	if (ioctl(image.fd_, KIOCGSIZE, &size) != 0)
		return Error::from_errno(errno, path, "KIOCGSIZE");
	image.size_ = size;

	// A mapping of its own, not the KIOCGADDR one: that one is the
	// process's single mapping, replaced when any code in the process
	// asks KIOCGADDR of a newer snapshot, and this image must live as
	// long as its owner wants.
	void *data = mmap(nullptr, size, PROT_READ, MAP_SHARED, image.fd_, 0);
	if (data == MAP_FAILED)
		return Error::from_errno(errno, path, "mmap");
	image.data_ = static_cast<const std::byte *>(data);
	image.unmap_ = true;
	return image;
}

MappedImage::MappedImage(MappedImage &&other) noexcept
	: data_(std::exchange(other.data_, nullptr)),
	  size_(std::exchange(other.size_, 0)),
	  unmap_(std::exchange(other.unmap_, false)),
	  fd_(std::exchange(other.fd_, -1))
{
}

MappedImage &MappedImage::operator=(MappedImage &&other) noexcept
{
	if (this != &other) {
		release();
		data_ = std::exchange(other.data_, nullptr);
		size_ = std::exchange(other.size_, 0);
		unmap_ = std::exchange(other.unmap_, false);
		fd_ = std::exchange(other.fd_, -1);
	}
	return *this;
}

MappedImage::~MappedImage()
{
	release();
}

void MappedImage::release()
{
	if (unmap_ && data_)
		munmap(const_cast<std::byte *>(data_), size_);
	if (fd_ >= 0)
		::close(fd_);
	data_ = nullptr;
	size_ = 0;
	unmap_ = false;
	fd_ = -1;
}

} // namespace ksyms
