// SPDX-License-Identifier: BSD-2-Clause
// Loading and unloading modules by file, for the sections that make the
// driver rebuild (module churn) or grow (scale).
#ifndef KSYMS_BENCH_VM_MODULES_H
#define KSYMS_BENCH_VM_MODULES_H

#include "result.h"

#include <string>
#include <string_view>
#include <utility>

namespace bench {

// The kernel's name for a module file: no directory, no .ko[.xz|.zst|.gz],
// '-' as '_' (delete_module wants the name exactly as the kernel keeps it).
std::string module_name(std::string_view path);

// finit_module() of a module file (compressed or not), and delete_module()
// by the kernel's name for it: for a module that is to stay loaded past a
// scope, as the driver itself does between the turns of a comparison.
Status load_module(const std::string &path);
Status unload_module(const std::string &name);

// A pause after a module was loaded or unloaded (the driver or another),
// before what follows is timed. The kernel finishes a load or an unload
// in the background (a module's init sections are freed by a worker after
// an RCU grace period), and in a TCG guest, whose vCPUs share one host
// thread, that work halves the speed of whatever runs beside it.
void settle_after_module_event();

class LoadedModule {
public:
	static Result<LoadedModule> load(const std::string &path);
	LoadedModule(LoadedModule &&o) noexcept : name_(std::move(o.name_)) { o.name_.clear(); }
	LoadedModule &operator=(LoadedModule &&) = delete;
	~LoadedModule() { (void)unload(); }	// error paths only: best effort
	Status unload();

private:
	explicit LoadedModule(std::string name) : name_(std::move(name)) {}
	std::string name_;
};

} // namespace bench

#endif
