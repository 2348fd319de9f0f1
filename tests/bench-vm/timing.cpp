// SPDX-License-Identifier: BSD-2-Clause
// What timing.h declares.

#include "timing.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace bench {

Spread spread(std::vector<double> v)
{
	if (v.empty())
		return {};
	std::sort(v.begin(), v.end());
	std::size_t n = v.size();
	return {v.front(), n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.back()};
}

Status open_close(const char *path)
{
	int fd = ::open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno_error(std::string("open ") + path);
	if (::close(fd) != 0)
		return errno_error("close");
	return success();
}

} // namespace bench
