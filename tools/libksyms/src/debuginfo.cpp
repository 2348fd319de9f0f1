// SPDX-License-Identifier: BSD-2-Clause
// DebugInfo: one libdwfl session per object, opened the first time one of
// its addresses is asked for.  A session per object rather than one for all
// keeps modules from overlapping (since Linux 6.4 a module's text and data
// are separate allocations, so its span can enclose another module's).
#include <ksyms/debuginfo.h>

#include "debug_file_finder.h"
#include "module_sections.h"
#include "source_frames.h"

#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <optional>

namespace ksyms {

namespace {

struct ObjectDebug {
	bool opened = false;	// tried, found or not
	std::string path;
	Dwfl *dwfl = nullptr;
	Dwfl_Module *module = nullptr;
	// vmlinux: runtime address less link-time address (KASLR).
	uint64_t slide = 0;
	// modules: runtime address per .ko section.
	const Snapshot *snapshot = nullptr;
	const ObjectInfo *object = nullptr;
	std::vector<uint64_t> sections;
	std::optional<SourceFrameFinder> finder;

	ObjectDebug() = default;
	ObjectDebug(const ObjectDebug &) = delete;
	ObjectDebug &operator=(const ObjectDebug &) = delete;
	~ObjectDebug()
	{
		if (dwfl)
			dwfl_end(dwfl);
	}
};

// The debug files carry their DWARF themselves.
int no_separate_debuginfo(Dwfl_Module *, void **, const char *, Dwarf_Addr,
			  const char *, const char *, GElf_Word, char **)
{
	return -1;
}

// Hands libdwfl the module's .ko, with no section placed yet, so that it
// asks module_section_address() for each section the DWARF refers to.
int module_find_elf(Dwfl_Module *, void **userdata, const char *, Dwarf_Addr,
		    char **file_name, Elf **elfp)
{
	auto *object = static_cast<ObjectDebug *>(*userdata);
	int fd = ::open(object->path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP_PRIVATE, nullptr);
	GElf_Ehdr ehdr;
	if (!elf || !gelf_getehdr(elf, &ehdr) || ehdr.e_type != ET_REL) {
		elf_end(elf);
		::close(fd);
		return -1;
	}
	object->sections = module_section_addresses(*object->snapshot,
						    *object->object, elf);
	// Some .ko sections carry a nonzero sh_addr from the link; libdwfl
	// would take it as the load address.
	for (Elf_Scn *scn = elf_nextscn(elf, nullptr); scn;
	     scn = elf_nextscn(elf, scn)) {
		GElf_Shdr shdr;
		if (gelf_getshdr(scn, &shdr) && (shdr.sh_flags & SHF_ALLOC) &&
		    shdr.sh_addr != 0) {
			shdr.sh_addr = 0;
			gelf_update_shdr(scn, &shdr);
		}
	}
	*file_name = strdup(object->path.c_str());
	*elfp = elf;
	return fd;
}

int module_section_address(Dwfl_Module *, void **userdata, const char *,
			   Dwarf_Addr, const char *, GElf_Word shndx,
			   const GElf_Shdr *, Dwarf_Addr *addr)
{
	auto *object = static_cast<ObjectDebug *>(*userdata);
	*addr = shndx < object->sections.size() &&
				object->sections[shndx] != no_section_address ?
			object->sections[shndx] :
			(Dwarf_Addr)-1;
	return 0;
}

const Dwfl_Callbacks vmlinux_callbacks = {
	.find_elf = nullptr,
	.find_debuginfo = no_separate_debuginfo,
	.section_address = nullptr,
	.debuginfo_path = nullptr,
};

const Dwfl_Callbacks module_callbacks = {
	.find_elf = module_find_elf,
	.find_debuginfo = no_separate_debuginfo,
	.section_address = module_section_address,
	.debuginfo_path = nullptr,
};

// The address of symbol `name` in the module's own symbol table.
std::optional<uint64_t> file_symbol(Dwfl_Module *module, const char *name)
{
	int count = dwfl_module_getsymtab(module);
	for (int i = 1; i < count; i++) {
		GElf_Sym sym;
		GElf_Addr address;
		const char *found = dwfl_module_getsym_info(
			module, i, &sym, &address, nullptr, nullptr, nullptr);
		if (found && std::strcmp(found, name) == 0)
			return address;
	}
	return std::nullopt;
}

// The address of `name` among the object's symbols, by a walk over them:
// Snapshot::find_name() would index every name of the image for one.
std::optional<uint64_t> image_symbol(const Snapshot &snapshot,
				     const ObjectInfo &object, const char *name)
{
	for (auto [first, count] : {std::pair{object.first_global,
					      object.global_count},
				    std::pair{object.first_local,
					      object.local_count}})
		for (uint64_t i = first; i < first + count; i++) {
			Symbol symbol = snapshot.symbol((uint32_t)i);
			if (symbol.name == name)
				return symbol.address;
		}
	return std::nullopt;
}

bool open_vmlinux(ObjectDebug &debug, const Snapshot &snapshot,
		  const ObjectInfo &object)
{
	debug.dwfl = dwfl_begin(&vmlinux_callbacks);
	if (!debug.dwfl)
		return false;
	dwfl_report_begin(debug.dwfl);
	debug.module = dwfl_report_elf(debug.dwfl, "vmlinux",
				       debug.path.c_str(), -1, 0, false);
	if (!debug.module || dwfl_report_end(debug.dwfl, nullptr, nullptr))
		return false;
	for (const char *anchor : {"_text", "_stext"}) {
		auto runtime = image_symbol(snapshot, object, anchor);
		auto linked = runtime ? file_symbol(debug.module, anchor) :
					std::nullopt;
		if (linked) {
			debug.slide = *runtime - *linked;
			return true;
		}
	}
	return false;
}

bool open_module(ObjectDebug &debug, const Snapshot &snapshot,
		 const ObjectInfo &object)
{
	debug.snapshot = &snapshot;
	debug.object = &object;
	debug.dwfl = dwfl_begin(&module_callbacks);
	if (!debug.dwfl)
		return false;
	dwfl_report_begin(debug.dwfl);
	std::string name(object.name);
	debug.module = dwfl_report_module(debug.dwfl, name.c_str(),
					  object.base,
					  object.base + std::max<uint64_t>(
								object.size, 1));
	if (!debug.module || dwfl_report_end(debug.dwfl, nullptr, nullptr))
		return false;
	void **userdata = nullptr;
	dwfl_module_info(debug.module, &userdata, nullptr, nullptr, nullptr,
			 nullptr, nullptr, nullptr);
	*userdata = &debug;
	Dwarf_Addr bias;
	return dwfl_module_getdwarf(debug.module, &bias) != nullptr;
}

} // namespace

struct DebugInfo::Impl {
	Impl(const Snapshot &snapshot, DebugInfoOptions options)
		: snapshot(&snapshot),
		  finder(std::move(options.directories), options.debuginfod),
		  objects(snapshot.objects().size())
	{
	}

	ObjectDebug *open(const ObjectInfo &object)
	{
		size_t index = &object - snapshot->objects().data();
		ObjectDebug &debug = objects[index];
		if (debug.opened)
			return debug.module ? &debug : nullptr;
		debug.opened = true;
		if (object.pseudo)
			return nullptr;
		auto path = finder.find(object.name, object.build_id);
		if (!path)
			return nullptr;
		debug.path = *path;
		bool ok = object.is_vmlinux() ?
				  open_vmlinux(debug, *snapshot, object) :
				  open_module(debug, *snapshot, object);
		if (!ok) {
			dwfl_end(debug.dwfl);
			debug.dwfl = nullptr;
			debug.module = nullptr;
			return nullptr;
		}
		debug.finder.emplace(debug.module);
		return &debug;
	}

	const Snapshot *snapshot;
	DebugFileFinder finder;
	std::vector<ObjectDebug> objects;
};

DebugInfo::DebugInfo(const Snapshot &snapshot, DebugInfoOptions options)
	: impl_(std::make_unique<Impl>(snapshot, std::move(options)))
{
}

DebugInfo::DebugInfo(DebugInfo &&) noexcept = default;
DebugInfo &DebugInfo::operator=(DebugInfo &&) noexcept = default;
DebugInfo::~DebugInfo() = default;

bool DebugInfo::enabled() const
{
	return impl_->finder.enabled();
}

std::vector<SourceFrame> DebugInfo::frames(uint64_t address)
{
	return frames(address, impl_->snapshot->locate(address));
}

std::vector<SourceFrame> DebugInfo::frames(uint64_t address,
					   const AddressLocation &location)
{
	const ObjectInfo *object =
		location ? impl_->snapshot->object_of(location.symbol) :
			   nullptr;
	ObjectDebug *debug = object ? impl_->open(*object) : nullptr;
	if (!debug)
		return {};
	std::vector<SourceFrame> frames =
		debug->finder->frames(address - debug->slide);
	// No function in the DWARF (assembly): the symbol's name.
	if (!frames.empty() && frames.back().function.empty())
		frames.back().function = location.name;
	return frames;
}

std::string DebugInfo::debug_file(const ObjectInfo &object)
{
	ObjectDebug *debug = impl_->open(object);
	return debug ? debug->path : "";
}

} // namespace ksyms
