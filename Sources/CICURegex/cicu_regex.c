#include "cicu_regex.h"
#include <unicode/uregex.h>
#include <unicode/ubrk.h>
#include <unicode/utypes.h>

/* The casts below are safe: UChar is a 16-bit code unit, UErrorCode an int-sized enum, UBool int8_t. */
_Static_assert(sizeof(UChar) == sizeof(uint16_t), "UChar is 16 bits");
_Static_assert(sizeof(UErrorCode) == sizeof(int32_t), "UErrorCode is 32 bits");

const int32_t cicu_status_time_out = U_REGEX_TIME_OUT;

#define RE(p) ((URegularExpression *)(p))
#define ST(p) ((UErrorCode *)(p))

cicu_regex *cicu_regex_open(const uint16_t *pattern, int32_t length, int32_t *status, int32_t *error_offset) {
    UParseError pe;
    pe.offset = -1;
    URegularExpression *re = uregex_open((const UChar *)pattern, length, 0, &pe, ST(status));
    if (error_offset) *error_offset = pe.offset;
    return (cicu_regex *)re;
}
cicu_regex *cicu_regex_clone(const cicu_regex *re, int32_t *status) {
    return (cicu_regex *)uregex_clone((const URegularExpression *)re, ST(status));
}
void cicu_regex_close(cicu_regex *re) { uregex_close(RE(re)); }
void cicu_regex_set_text(cicu_regex *re, const uint16_t *text, int32_t length, int32_t *status) {
    uregex_setText(RE(re), (const UChar *)text, length, ST(status));
}
void cicu_regex_set_time_limit(cicu_regex *re, int32_t limit, int32_t *status) { uregex_setTimeLimit(RE(re), limit, ST(status)); }
void cicu_regex_set_region(cicu_regex *re, int32_t start, int32_t limit, int32_t *status) {
    uregex_setRegion(RE(re), start, limit, ST(status));
}
void cicu_regex_use_transparent_bounds(cicu_regex *re, int8_t value, int32_t *status) {
    uregex_useTransparentBounds(RE(re), value, ST(status));
}
void cicu_regex_use_anchoring_bounds(cicu_regex *re, int8_t value, int32_t *status) {
    uregex_useAnchoringBounds(RE(re), value, ST(status));
}
int8_t cicu_regex_find_next(cicu_regex *re, int32_t *status) { return uregex_findNext(RE(re), ST(status)); }
int8_t cicu_regex_looking_at(cicu_regex *re, int32_t start, int32_t *status) { return uregex_lookingAt(RE(re), start, ST(status)); }
int32_t cicu_regex_start(cicu_regex *re, int32_t *status) { return uregex_start(RE(re), 0, ST(status)); }
int32_t cicu_regex_end(cicu_regex *re, int32_t *status) { return uregex_end(RE(re), 0, ST(status)); }
int32_t cicu_word_starts(const uint16_t *text, int32_t length, int32_t *out, int32_t capacity, int32_t *status) {
    UBreakIterator *words = ubrk_open(UBRK_WORD, "", (const UChar *)text, length, ST(status));
    if (U_FAILURE(*ST(status))) return 0;
    int32_t count = 0;
    int32_t start = ubrk_first(words);
    for (int32_t end = ubrk_next(words); end != UBRK_DONE && count < capacity; start = end, end = ubrk_next(words)) {
        /* The status of the rule that ended the segment [start, end): NONE for spaces and punctuation. */
        if (ubrk_getRuleStatus(words) >= UBRK_WORD_NONE_LIMIT) out[count++] = start;
    }
    ubrk_close(words);
    return count;
}
const char *cicu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }
