// SPDX-License-Identifier: BSD-2-Clause
// ksyms._ksyms, the extension module under the `ksyms` package
// (ksyms/__init__.py): libksyms' snapshots for Python.
#include "snapshot_binding.h"
#include "values.h"

#include <pybind11/pybind11.h>

PYBIND11_MODULE(_ksyms, module)
{
	module.doc() = "libksyms: the /dev/ksyms image or a saved one";
	ksyms::python::bind_values(module);
	ksyms::python::bind_snapshot(module);
}
