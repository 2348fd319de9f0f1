// SPDX-License-Identifier: BSD-2-Clause
// libksyms' errors as Python exceptions.
#ifndef KSYMS_PYTHON_ERRORS_H
#define KSYMS_PYTHON_ERRORS_H

#include <ksyms/error.h>

#include <string>

namespace ksyms::python {

// Raises OSError(error.code(), ..., filename): Python picks the subclass
// from the errno (FileNotFoundError, PermissionError, ...), and the message
// loses the "<filename>: " that libksyms puts first, since OSError prints
// the filename itself.
[[noreturn]] void raise_os_error(const Error &error, const std::string &filename);

} // namespace ksyms::python

#endif
