/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_ACCESS_H
#define KSYMS_ACCESS_H

int ksyms_access_check(void);
void ksyms_access_drop(void);

#endif /* KSYMS_ACCESS_H */
