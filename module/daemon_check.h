// SPDX-License-Identifier: BSD-3-Clause
/* Is the daemon that loaded this module the Unbound build it was compiled against? */
#ifndef TYPOGUARD_MODULE_DAEMON_CHECK_H
#define TYPOGUARD_MODULE_DAEMON_CHECK_H

#include <stddef.h>

/**
 * Compares the running program's GNU build ID with the one of the unbound binary this module
 * was compiled against (the module reads that build's internal structures, whose layout
 * changes between versions, configure options and patches). Reads only the program's own
 * mapped ELF notes and read-only data: no file, no allocation, safe before anything else in
 * init. Returns 1 when they match; else 0, with a message naming both builds (version and
 * build ID) in why[0 .. why_len). Never fails otherwise.
 */
int tg_daemon_matches(char* why, size_t why_len);

#endif
