// SPDX-License-Identifier: BSD-2-Clause
#include "driver_image.h"

#include "driver_image_writer.h"

#include <gtest/gtest.h>

namespace ksyms::test {

std::vector<uint8_t> build_image(const std::vector<Object> &objects,
				 size_t pseudo)
{
	std::vector<ImageObject> written;
	for (const Object &o : objects) {
		ImageObject &object = written.emplace_back();
		object.name = o.name;
		object.build_id = o.build_id;
		for (const Sym &s : o.syms)
			object.symbols.push_back(
				{s.name, s.letter, s.address, s.size});
	}
	std::vector<uint8_t> image = build_driver_image(written, pseudo);
	EXPECT_FALSE(image.empty()) << "the driver's writer refused the objects";
	return image;
}

std::vector<Object> two_objects()
{
	Object vmlinux{"vmlinux",
		       {{"_stext", 'T', kVmlinux, 0x100},
			{"local_fn", 't', kVmlinux + 0x100, 0x100},
			{"table", 'r', kVmlinux + 0x400000, 0x40},
			{"init_task", 'D', kVmlinux + 0x600000, 0x1000},
			{"zeroed", 'b', kVmlinux + 0x800000, 0x10},
			{"weak_fn", 'W', kVmlinux + 0x200, 0x10},
			{"fixed_percpu_data", 'A', 0x0, 0}},
		       {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01,
			0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23,
			0x45, 0x67}};
	Object module{"ext9",
		      {{"ext9_helper", 't', kModule, 0x80},
		       {"ext9_exported", 'T', kModule + 0x80, 0x80},
		       {"ext9_state", 'd', kModule + 0x10000, 0x8}},
		      {0xde, 0xad, 0xbe, 0xef}};
	Object bare{"bare", {{"bare_fn", 't', kModule + 0x100000, 0x20}}, {}};
	return {vmlinux, module, bare};
}

} // namespace ksyms::test
