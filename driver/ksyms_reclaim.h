/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KSYMS_RECLAIM_H
#define KSYMS_RECLAIM_H

int ksyms_reclaim_init(void);
void ksyms_reclaim_exit(void);
void ksyms_reclaim_touch(void);

#endif /* KSYMS_RECLAIM_H */
