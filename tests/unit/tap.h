/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the host unit tests: every check is one numbered
 * "ok"/"not ok" line, so the top-level runner counts checks, not programs.
 */
#ifndef VG_TESTS_TAP_H
#define VG_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_count;
static int tap_failed;

static inline void tap_result(int ok, const char *file, int line,
			      const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", ok ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
}

#define ok(cond, ...) tap_result(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Compare two integers, printing both on failure. */
#define is_int(got, want, ...) do {					\
	long long _g = (long long)(got), _w = (long long)(want);	\
	tap_result(_g == _w, __FILE__, __LINE__, __VA_ARGS__);		\
	if (_g != _w)							\
		printf("#   got %lld, want %lld\n", _g, _w);		\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *_g = (got), *_w = (want);				\
	int _ok = _g && _w && !strcmp(_g, _w);				\
	tap_result(_ok, __FILE__, __LINE__, __VA_ARGS__);		\
	if (!_ok)							\
		printf("#   got '%s', want '%s'\n", _g ? _g : "(null)",	\
		       _w ? _w : "(null)");				\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* VG_TESTS_TAP_H */
