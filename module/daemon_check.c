// SPDX-License-Identifier: BSD-3-Clause
/*
 * The daemon check: the running program's build ID (its NT_GNU_BUILD_ID note, as mapped by
 * the loader) against the one CMake read from the unbound binary the module was compiled
 * against. The daemon's version, for the message only, is the "unbound X.Y.Z" string its
 * read-only data holds (PACKAGE_STRING, which Unbound logs at start).
 */
#include "daemon_check.h"

#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

#ifndef TG_BUILT_FOR_BUILD_ID
#error "TG_BUILT_FOR_BUILD_ID (the unbound binary's GNU build ID, hex) must be defined"
#endif
#ifndef TG_BUILT_FOR_VERSION
#define TG_BUILT_FOR_VERSION PACKAGE_VERSION
#endif

/** Longest build ID kept (SHA-1 IDs are 20 bytes; 64 leaves room for others). */
#define TG_BUILD_ID_MAX 64

/** What the main program's headers tell. */
struct tg_program_facts {
  int seen;                           /**< the first object (the program) was visited */
  char build_id[2 * TG_BUILD_ID_MAX + 1]; /**< hex, "" when the program has none */
  char version[32];                   /**< "1.17.1", "" when not found */
};

/** Writes the build ID note of one PT_NOTE segment, if it has one, as hex into facts. */
static void read_build_id(const ElfW(Nhdr) * note, size_t size, struct tg_program_facts* facts) {
  const unsigned char* p = (const unsigned char*)note;
  const unsigned char* end = p + size;
  while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
    const ElfW(Nhdr)* n = (const ElfW(Nhdr)*)p;
    size_t name_len = ((size_t)n->n_namesz + 3U) & ~(size_t)3U;
    size_t desc_len = ((size_t)n->n_descsz + 3U) & ~(size_t)3U;
    const unsigned char* name = p + sizeof(ElfW(Nhdr));
    const unsigned char* desc = name + name_len;
    if (name_len > (size_t)(end - name) || desc_len > (size_t)(end - desc)) return;
    if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
        n->n_descsz <= TG_BUILD_ID_MAX) {
      static const char hex[] = "0123456789abcdef";
      for (size_t i = 0; i < n->n_descsz; ++i) {
        facts->build_id[2 * i] = hex[desc[i] >> 4];
        facts->build_id[2 * i + 1] = hex[desc[i] & 0x0f];
      }
      facts->build_id[2 * (size_t)n->n_descsz] = '\0';
      return;
    }
    p = desc + desc_len;
  }
}

/** Looks for "\0unbound X.Y.Z\0" in one read-only segment; copies X.Y.Z into facts. */
static void read_version(const char* data, size_t size, struct tg_program_facts* facts) {
  static const char prefix[] = "unbound ";
  const size_t prefix_len = sizeof(prefix) - 1;
  const char* p = data;
  const char* end = data + size;
  while (facts->version[0] == '\0' && (size_t)(end - p) > prefix_len + 1) {
    const char* hit = memmem(p, (size_t)(end - p), prefix, prefix_len);
    if (hit == NULL) return;
    const char* v = hit + prefix_len;
    size_t len = 0;
    while (v + len < end && ((v[len] >= '0' && v[len] <= '9') || v[len] == '.')) ++len;
    if ((hit == data || hit[-1] == '\0') && v + len < end && v[len] == '\0' && len > 0 &&
        len < sizeof(facts->version) && v[0] != '.') {
      memcpy(facts->version, v, len);
      facts->version[len] = '\0';
    }
    p = hit + 1;
  }
}

/** dl_iterate_phdr callback: the first object is the program itself. */
static int visit_program(struct dl_phdr_info* info, size_t size, void* arg) {
  struct tg_program_facts* facts = (struct tg_program_facts*)arg;
  (void)size;
  facts->seen = 1;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)* ph = &info->dlpi_phdr[i];
    const char* at = (const char*)(info->dlpi_addr + ph->p_vaddr);
    if (ph->p_type == PT_NOTE && facts->build_id[0] == '\0')
      read_build_id((const ElfW(Nhdr)*)(const void*)at, (size_t)ph->p_memsz, facts);
    else if (ph->p_type == PT_LOAD && (ph->p_flags & (PF_W | PF_X)) == 0)
      read_version(at, (size_t)ph->p_filesz, facts);
  }
  return 1; /* the program only */
}

int tg_daemon_matches(char* why, size_t why_len) {
  struct tg_program_facts facts;
  memset(&facts, 0, sizeof(facts));
  dl_iterate_phdr(&visit_program, &facts);
  if (facts.seen && strcmp(facts.build_id, TG_BUILT_FOR_BUILD_ID) == 0) return 1;
  if (why != NULL && why_len > 0) {
    snprintf(why, why_len,
             "this typoguard.so was built for Unbound %s (build ID %s) but is loaded by Unbound %s "
             "(build ID %s); it reads that build's internal structures, so it refuses to "
             "start: install the typoguard package built for this unbound, or build the "
             "module against this daemon's unbound-module-dev",
             TG_BUILT_FOR_VERSION, TG_BUILT_FOR_BUILD_ID,
             facts.version[0] ? facts.version : "(version not found)",
             facts.build_id[0] ? facts.build_id : "(none)");
  }
  return 0;
}
