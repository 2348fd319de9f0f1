// SPDX-License-Identifier: BSD-2-Clause
#include <ksyms/error.h>

#include <cstring>

namespace ksyms {

Error Error::from_errno(int code, std::string_view file, std::string_view what)
{
	std::string message(file);
	message += ": ";
	if (!what.empty()) {
		message += what;
		message += ": ";
	}
	message += std::strerror(code);
	return Error(code, std::move(message));
}

Error Error::with_message(int code, std::string_view file,
			  std::string_view what)
{
	std::string message(file);
	message += ": ";
	message += what;
	return Error(code, std::move(message));
}

} // namespace ksyms
