// SPDX-License-Identifier: BSD-2-Clause
// The C API's object table and build IDs.
#include "c_api_guard.h"

#include <cstdio>
#include <span>

using namespace ksyms::c_api;

namespace {

void fill(const ksyms::ObjectInfo &from, ksyms_object_info *to)
{
	// Names in the object table are NUL-terminated (image-format.md).
	to->name = from.name.data();
	to->base = from.base;
	to->size = from.size;
	to->build_id = from.build_id.empty() ? nullptr : from.build_id.data();
	to->build_id_size = from.build_id.size();
	to->pseudo = from.pseudo;
}

} // namespace

extern "C" {

size_t ksyms_object_count(const ksyms_snapshot *snapshot)
{
	if (!snapshot) {
		report_null(__func__);
		return 0;
	}
	clear_last_error();
	return snapshot->snapshot.objects().size();
}

int ksyms_object_at(const ksyms_snapshot *snapshot, size_t i,
		    ksyms_object_info *object)
{
	if (!snapshot || !object) {
		report_null(__func__);
		return EINVAL;
	}
	std::span<const ksyms::ObjectInfo> objects =
		snapshot->snapshot.objects();
	if (i >= objects.size()) {
		set_last_error(ERANGE, "ksyms_object_at: no such object");
		return ERANGE;
	}
	fill(objects[i], object);
	clear_last_error();
	return 0;
}

int ksyms_find_object(const ksyms_snapshot *snapshot, const char *name,
		      ksyms_object_info *object)
{
	if (!snapshot || !name || !object) {
		report_null(__func__);
		return EINVAL;
	}
	for (const ksyms::ObjectInfo &info : snapshot->snapshot.objects()) {
		if (info.name == name) {
			fill(info, object);
			clear_last_error();
			return 0;
		}
	}
	char message[300];
	std::snprintf(message, sizeof(message),
		      "%.200s: no such object in the image", name);
	set_last_error(ENOENT, message);
	return ENOENT;
}

size_t ksyms_format_build_id(const unsigned char *build_id, size_t size,
			     char *text, size_t text_size)
{
	static const char digits[] = "0123456789abcdef";
	size_t written = 0;

	if (!text)
		text_size = 0;
	if (size && !build_id) {
		report_null(__func__);
		return 0;
	}
	for (size_t i = 0; i < size && written + 2 < text_size; i++) {
		text[written++] = digits[build_id[i] >> 4];
		text[written++] = digits[build_id[i] & 0xf];
	}
	if (text && text_size)
		text[written] = '\0';
	clear_last_error();
	return 2 * size;
}

} // extern "C"
