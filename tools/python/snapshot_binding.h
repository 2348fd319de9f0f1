// SPDX-License-Identifier: BSD-2-Clause
// ksyms.Snapshot: an open image, its symbols, lookups and objects.
#ifndef KSYMS_PYTHON_SNAPSHOT_BINDING_H
#define KSYMS_PYTHON_SNAPSHOT_BINDING_H

#include <pybind11/pybind11.h>

namespace ksyms::python {

// Registers Snapshot, its symbol iterator, open_device() and open_file().
void bind_snapshot(pybind11::module_ &module);

} // namespace ksyms::python

#endif
