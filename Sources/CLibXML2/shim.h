#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU; its ICU headers clash with the copy Foundation
   ships. ScamSift never touches the ICU fields, so hide them from Swift. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

/* xmlFree is a global function-pointer variable, which Swift 6 counts as shared mutable state;
   it is set once by libxml2 and only read, so a plain function that calls it is safe. */
static inline void scamsift_xmlFree(void *p) { xmlFree(p); }
