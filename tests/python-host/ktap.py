# SPDX-License-Identifier: BSD-2-Clause
"""Runs unittest test cases and reports them as KTAP: one "ok N name" or
"not ok N name" line each, the failure's traceback as "# " lines, so that
tests/run.sh counts every case (tests/vm/host-tests.sh reads them from
ctest's log). Exits 1 if any case failed or erred.

A skipped case is reported "# SKIP", which tests/run.sh counts as skipped,
never as passed.
"""

import sys
import unittest


class _KtapResult(unittest.TestResult):
    def __init__(self, out):
        super().__init__()
        self.out = out
        self.number = 0

    def _line(self, test, verdict, details=""):
        self.number += 1
        self.out.write("%s %d %s%s\n" % (verdict, self.number, test.id(), details))
        self.out.flush()

    def _comment(self, text):
        for line in text.rstrip("\n").split("\n"):
            self.out.write("# %s\n" % line)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(test, "ok")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._comment(self.failures[-1][1])
        self._line(test, "not ok")

    def addError(self, test, err):
        super().addError(test, err)
        self._comment(self.errors[-1][1])
        self._line(test, "not ok")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(test, "ok", " # SKIP " + reason)


def main(module="__main__"):
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module])
    out = sys.stdout
    out.write("TAP version 13\n1..%d\n" % suite.countTestCases())
    result = _KtapResult(out)
    suite.run(result)
    sys.exit(0 if result.wasSuccessful() else 1)
