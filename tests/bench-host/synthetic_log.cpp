// SPDX-License-Identifier: BSD-2-Clause
#include "synthetic_log.h"

#include <cinttypes>
#include <cstdio>
#include <random>

namespace ksyms::bench {

std::string make_log(const std::vector<uint64_t> &addresses, size_t bytes)
{
	std::mt19937_64 random(6);
	std::string log;
	log.reserve(bytes + 256);
	char line[256];
	size_t next = 0;
	double seconds = 0;
	auto address = [&] { return addresses[next++ % addresses.size()]; };
	while (log.size() < bytes) {
		seconds += (random() % 1000) / 1e6;
		int n = 0;
		switch (random() % 8) {
		case 0:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f] RIP: 0010:[<%016" PRIx64
					  ">] %016" PRIx64 "\n",
					  seconds, address(), address());
			break;
		case 1:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f] RSP: 0018:ffffc90000%06" PRIx64
					  " EFLAGS: 00010246\n",
					  seconds, random() % 0xffffff);
			break;
		case 2:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f] RAX: 0000000000000000 RBX: "
					  "ffff888003a1%04" PRIx64
					  " RCX: 0x%" PRIx64 "\n",
					  seconds, random() % 0xffff, address());
			break;
		case 3:
		case 4:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f]  ? 0x%" PRIx64 "\n", seconds,
					  address());
			break;
		default:
			n = std::snprintf(line, sizeof(line),
					  "[%12.6f] usb 1-1: new high-speed USB "
					  "device number %d using xhci_hcd, "
					  "status 0x%x\n",
					  seconds, static_cast<int>(random() % 128),
					  static_cast<unsigned>(random() % 256));
			break;
		}
		log.append(line, n);
	}
	return log;
}

} // namespace ksyms::bench
