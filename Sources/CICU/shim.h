/* The system ICU (Debian libicu-dev), found through pkg-config (icu-i18n, which requires
   icu-uc). This module only carries the library and its flags: its header declares nothing.
   Swift never sees ICU's own headers, because the toolchain's Foundation ships a private copy
   of ICU (a Swift module of its own) whose types (UErrorCode, UProperty…) have the same names and other
   definitions, and Clang refuses a module that sees both. ICU is called from C instead, in
   the CICURegex target, which gives Swift an API of plain C types. */
#ifndef SCAMSIFT_CICU_SHIM_H
#define SCAMSIFT_CICU_SHIM_H
#endif
