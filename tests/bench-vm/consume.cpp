// SPDX-License-Identifier: BSD-2-Clause
// What consume.h declares.

#include "consume.h"

#include "elf_symtab.h"
#include "kallsyms_text.h"
#include "timing.h"

#include <linux/ksyms.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace bench {

Status OpenImage::close()
{
	const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
	const std::size_t len = (image.size() + page - 1) / page * page;
	if (munmap(const_cast<char *>(image.data()), len) != 0)
		return errno_error("munmap");
	return fd.close();
}

Result<OpenImage> open_image()
{
	auto fd = open_path(KSYMS_PATH, O_RDONLY);
	if (!fd.ok())
		return fd.error();
	std::size_t size = 0;
	void *addr = nullptr;
	if (ioctl(fd->get(), KIOCGSIZE, &size) != 0)
		return errno_error("ioctl KIOCGSIZE");
	if (ioctl(fd->get(), KIOCGADDR, &addr) != 0)
		return errno_error("ioctl KIOCGADDR");
	return OpenImage{std::move(*fd), {static_cast<const char *>(addr), size}};
}

Result<Consumed> consume_ksyms()
{
	auto open = open_image();
	if (!open.ok())
		return open.error();
	auto c = checksum_symtab(open->image);
	if (!c.ok())
		return c.error();
	if (auto s = open->close(); !s.ok())
		return s.error();
	return c;
}

Result<Consumed> consume_ksyms_pointers()
{
	auto open = open_image();
	if (!open.ok())
		return open.error();
	Consumed c;
	{
		Symbols syms;	// points into the mapping: gone before close
		if (auto s = walk_symtab(open->image, syms); !s.ok())
			return s.error();
		c = checksum_addresses(syms);
	}
	if (auto s = open->close(); !s.ok())
		return s.error();
	return c;
}

Result<Consumed> consume_kallsyms()
{
	TextBuffer text;
	if (auto s = text.read_path("/proc/kallsyms"); !s.ok())
		return s.error();
	return checksum_kallsyms(text.data(), text.size());
}

Result<Consumed> consume_kallsyms_pointers()
{
	TextBuffer text;
	if (auto s = text.read_path("/proc/kallsyms"); !s.ok())
		return s.error();
	Symbols syms;
	if (auto s = parse_kallsyms(text.data(), text.size(), syms); !s.ok())
		return s.error();
	return checksum_addresses(syms);
}

Result<ConsumeSplit> split_consume()
{
	auto open = open_image();
	if (!open.ok())
		return open.error();
	const std::size_t size = open->image.size();
	const auto *bytes = reinterpret_cast<const volatile unsigned char *>(open->image.data());
	const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
	ConsumeSplit split;
	double t0 = now_ns();
	for (std::size_t off = 0; off < size; off += page, split.pages++)
		(void)bytes[off];
	double t1 = now_ns();
	auto c = checksum_symtab(open->image);
	if (!c.ok())
		return c.error();
	split.symbols = c->count;
	split.walk_ns = now_ns() - t1;
	split.touch_ns = t1 - t0;
	if (auto s = open->close(); !s.ok())
		return s.error();
	return split;
}

} // namespace bench
