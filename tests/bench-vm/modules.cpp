// SPDX-License-Identifier: BSD-2-Clause
// What modules.h declares.

#include "modules.h"

#include "files.h"

#include <linux/module.h>	/* MODULE_INIT_COMPRESSED_FILE */

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace bench {

std::string module_name(std::string_view path)
{
	std::string name(path.substr(path.rfind('/') + 1));
	if (std::size_t ko = name.find(".ko"); ko != name.npos)
		name.resize(ko);
	std::replace(name.begin(), name.end(), '-', '_');
	return name;
}

void settle_after_module_event()
{
	usleep(100 * 1000);
}

Status load_module(const std::string &path)
{
	auto fd = open_path(path, O_RDONLY);
	if (!fd.ok())
		return fd.error();
	bool packed = !path.ends_with(".ko");
	if (syscall(SYS_finit_module, fd->get(), "",
		    packed ? MODULE_INIT_COMPRESSED_FILE : 0) != 0)
		return errno_error("finit_module " + path);
	return success();
}

Status unload_module(const std::string &name)
{
	if (syscall(SYS_delete_module, name.c_str(), O_NONBLOCK) != 0)
		return errno_error("delete_module " + name);
	return success();
}

Result<LoadedModule> LoadedModule::load(const std::string &path)
{
	if (auto s = load_module(path); !s.ok())
		return s.error();
	return LoadedModule(module_name(path));
}

Status LoadedModule::unload()
{
	if (name_.empty())
		return success();
	if (auto s = unload_module(name_); !s.ok())
		return s;
	name_.clear();
	return success();
}

} // namespace bench
