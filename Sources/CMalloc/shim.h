/* glibc's malloc extensions (malloc_trim), which the Glibc module does not export. */
#ifndef SCAMSIFT_CMALLOC_SHIM_H
#define SCAMSIFT_CMALLOC_SHIM_H
#include <malloc.h>
#endif
