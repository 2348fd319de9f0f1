/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSYMS_ACCESS_H
#define KSYMS_ACCESS_H

/* 0 if /proc/kallsyms would show the caller real addresses, else -EPERM. */
int ksyms_access_check(void);
/* Forgets the remembered answers and closes the sysctl files. */
void ksyms_access_drop(void);

#endif /* KSYMS_ACCESS_H */
