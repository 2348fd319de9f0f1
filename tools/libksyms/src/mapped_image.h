// SPDX-License-Identifier: BSD-2-Clause
// The bytes of an image and what keeps them alive: a read-only mapping of a
// file, or of a /dev/ksyms descriptor.
#ifndef KSYMS_SRC_MAPPED_IMAGE_H
#define KSYMS_SRC_MAPPED_IMAGE_H

#include <ksyms/error.h>

#include <cstddef>
#include <span>
#include <string>

namespace ksyms {

class MappedImage {
public:
	static Expected<MappedImage> map_file(const std::string &path);
	static Expected<MappedImage> map_device(const std::string &path);

	MappedImage(MappedImage &&other) noexcept;
	MappedImage &operator=(MappedImage &&other) noexcept;
	~MappedImage();

	std::span<const std::byte> bytes() const { return {data_, size_}; }

private:
	MappedImage() = default;
	void release();

	const std::byte *data_ = nullptr;
	size_t size_ = 0;
	bool unmap_ = false;	// data_ is a mapping of ours: munmap() it
	int fd_ = -1;
};

} // namespace ksyms

#endif
