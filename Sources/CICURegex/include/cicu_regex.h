/* ICU regular expressions (uregex) behind plain C types, for ScamSift's Match/ICURegex.swift.
   Each function is ICU's uregex_* function of the same name. Statuses are ICU's UErrorCode
   values as int32_t: 0 is success, above 0 a failure, below 0 a warning. Text is UTF-16. */
#ifndef SCAMSIFT_CICU_REGEX_H
#define SCAMSIFT_CICU_REGEX_H
#include <stdint.h>

typedef struct cicu_regex cicu_regex;

/* ICU's U_REGEX_TIME_OUT: a match ran past its time limit. */
extern const int32_t cicu_status_time_out;

cicu_regex *cicu_regex_open(const uint16_t *pattern, int32_t length, int32_t *status, int32_t *error_offset);
cicu_regex *cicu_regex_clone(const cicu_regex *re, int32_t *status);
void cicu_regex_close(cicu_regex *re);
void cicu_regex_set_text(cicu_regex *re, const uint16_t *text, int32_t length, int32_t *status);
void cicu_regex_set_time_limit(cicu_regex *re, int32_t limit, int32_t *status);
void cicu_regex_set_region(cicu_regex *re, int32_t start, int32_t limit, int32_t *status);
void cicu_regex_use_transparent_bounds(cicu_regex *re, int8_t value, int32_t *status);
void cicu_regex_use_anchoring_bounds(cicu_regex *re, int8_t value, int32_t *status);
int8_t cicu_regex_find_next(cicu_regex *re, int32_t *status);
int8_t cicu_regex_looking_at(cicu_regex *re, int32_t start, int32_t *status);
int32_t cicu_regex_start(cicu_regex *re, int32_t *status);
int32_t cicu_regex_end(cicu_regex *re, int32_t *status);
/* Not uregex: ICU's word break iterator (ubrk, UBRK_WORD), which splits Thai, Lao, Khmer and
   Myanmar text into words with its dictionaries. Writes to `out` the UTF-16 offset of the start
   of each segment that is a word (letters or numbers, not spaces or punctuation), at most
   `capacity` of them, and returns how many it wrote. */
int32_t cicu_word_starts(const uint16_t *text, int32_t length, int32_t *out, int32_t capacity, int32_t *status);
/* ICU's name for a status, such as "U_REGEX_MISMATCHED_PAREN". */
const char *cicu_error_name(int32_t status);
#endif
