// SPDX-License-Identifier: BSD-2-Clause
#include "errors.h"

#include <pybind11/pybind11.h>

#include <cerrno>
#include <string_view>

namespace py = pybind11;

namespace ksyms::python {

void raise_os_error(const Error &error, const std::string &filename)
{
	std::string_view message = error.message();
	std::string prefix = filename + ": ";
	if (message.starts_with(prefix))
		message.remove_prefix(prefix.size());
	int code = error.code() ? error.code() : EIO;
	py::object exception = py::reinterpret_borrow<py::object>(PyExc_OSError)(
		code, py::str(std::string(message)), py::str(filename));
	PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(exception.ptr())),
			exception.ptr());
	throw py::error_already_set();
}

} // namespace ksyms::python
