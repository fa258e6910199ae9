/*
 * subr_prf.c: formatted output, console printing, panic and assertions.
 *
 * vsnprintf implements the C conversions the kernel uses (d i u x X o c s
 * p %, flags - + space 0 #, width and precision with *, lengths hh h l ll
 * z j t).  printf formats into a bounded buffer and hands the result to
 * the console in one hypercall, so lines from different threads do not
 * interleave.  panic prints and ends the host process with a core dump.
 *
 * Locking: none needed; panicking is an atomic flag.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <rump/rumpuser.h>

#define PRINTF_BUFSIZE 512

int rump_verbose;
static unsigned int panicking;

/* An output cursor that counts what it could not store. */
struct sink {
	char *buf;
	size_t size;
	size_t len;		/* characters produced so far */
};

static void
sink_putc(struct sink *sk, char c)
{

	if (sk->len + 1 < sk->size)
		sk->buf[sk->len] = c;
	sk->len++;
}

static void
sink_pad(struct sink *sk, char c, int n)
{

	while (n-- > 0)
		sink_putc(sk, c);
}

struct spec {
	bool left, plus, space, zero, alt;
	int width;
	int prec;		/* -1: none */
};

/* Emit a converted number: sign/prefix, zero or space padding, digits. */
static void
emit_number(struct sink *sk, const struct spec *sp, const char *prefix,
    const char *digits, int ndigits)
{
	int plen = (int)strlen(prefix), zeros = 0, pad;

	if (sp->prec >= 0 && ndigits < sp->prec)
		zeros = sp->prec - ndigits;
	pad = sp->width - plen - zeros - ndigits;
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}
	if (!sp->left)
		sink_pad(sk, ' ', pad);
	while (*prefix != '\0')
		sink_putc(sk, *prefix++);
	sink_pad(sk, '0', zeros);
	while (ndigits-- > 0)
		sink_putc(sk, *digits++);
	if (sp->left)
		sink_pad(sk, ' ', pad);
}

static void
format_unsigned(struct sink *sk, const struct spec *sp, uintmax_t v,
    unsigned int base, bool upper, const char *sign)
{
	char tmp[32], *p = tmp + sizeof(tmp);
	const char *xdigits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const char *prefix = sign;
	int n;

	do {
		*--p = xdigits[v % base];
		v /= base;
	} while (v != 0);
	n = (int)(tmp + sizeof(tmp) - p);
	if (sp->prec == 0 && n == 1 && *p == '0') {
		/* "%.0d" of 0 prints no digits... */
		n = 0;
		if (sp->alt && base == 8) {	/* ...but "%#.0o" prints 0 */
			*p = '0';
			n = 1;
		}
	}
	if (sp->alt && base == 16 && !(n == 1 && *p == '0') && n > 0)
		prefix = upper ? "0X" : "0x";
	if (sp->alt && base == 8 && *p != '0' &&
	    (sp->prec < 0 || sp->prec <= n)) {
		*--p = '0';
		n++;
	}
	emit_number(sk, sp, prefix, p, n);
}

static void
format_signed(struct sink *sk, const struct spec *sp, intmax_t v)
{
	uintmax_t u = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
	const char *sign = v < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "";

	format_unsigned(sk, sp, u, 10, false, sign);
}

static void
format_string(struct sink *sk, const struct spec *sp, const char *s)
{
	int n, pad;

	if (s == NULL)
		s = "(null)";
	n = (int)(sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
	pad = sp->width - n;
	if (!sp->left)
		sink_pad(sk, ' ', pad);
	while (n-- > 0)
		sink_putc(sk, *s++);
	if (sp->left)
		sink_pad(sk, ' ', pad);
}

/* Length modifiers. */
enum len { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_MAX, L_PTRDIFF };

static const char *
parse_length(const char *f, enum len *lp)
{

	*lp = L_INT;
	switch (*f) {
	case 'h':
		if (f[1] == 'h') {
			*lp = L_CHAR;
			return f + 2;
		}
		*lp = L_SHORT;
		return f + 1;
	case 'l':
		if (f[1] == 'l') {
			*lp = L_LLONG;
			return f + 2;
		}
		*lp = L_LONG;
		return f + 1;
	case 'q':
		*lp = L_LLONG;
		return f + 1;
	case 'z':
		*lp = L_SIZE;
		return f + 1;
	case 'j':
		*lp = L_MAX;
		return f + 1;
	case 't':
		*lp = L_PTRDIFF;
		return f + 1;
	}
	return f;
}

static intmax_t
arg_signed(va_list *ap, enum len l)
{

	switch (l) {
	case L_CHAR: return (signed char)va_arg(*ap, int);
	case L_SHORT: return (short)va_arg(*ap, int);
	case L_LONG: return va_arg(*ap, long);
	case L_LLONG: return va_arg(*ap, long long);
	case L_SIZE: return va_arg(*ap, ssize_t);
	case L_MAX: return va_arg(*ap, intmax_t);
	case L_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t
arg_unsigned(va_list *ap, enum len l)
{

	switch (l) {
	case L_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case L_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case L_LONG: return va_arg(*ap, unsigned long);
	case L_LLONG: return va_arg(*ap, unsigned long long);
	case L_SIZE: return va_arg(*ap, size_t);
	case L_MAX: return va_arg(*ap, uintmax_t);
	case L_PTRDIFF: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* Flags, width and precision of one conversion; returns past them. */
static const char *
parse_spec(const char *f, struct spec *sp, va_list *ap)
{

	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			f++;
		} else
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	return f;
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap0)
{
	struct sink sk = { .buf = buf, .size = size, .len = 0 };
	struct spec sp;
	enum len l;
	va_list ap;
	const char *f;
	char c;

	va_copy(ap, ap0);
	for (f = fmt; *f != '\0'; f++) {
		if (*f != '%') {
			sink_putc(&sk, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		f = parse_length(f, &l);
		switch (*f) {
		case 'd':
		case 'i':
			format_signed(&sk, &sp, arg_signed(&ap, l));
			break;
		case 'u':
			format_unsigned(&sk, &sp, arg_unsigned(&ap, l), 10,
			    false, "");
			break;
		case 'x':
		case 'X':
			format_unsigned(&sk, &sp, arg_unsigned(&ap, l), 16,
			    *f == 'X', "");
			break;
		case 'o':
			format_unsigned(&sk, &sp, arg_unsigned(&ap, l), 8,
			    false, "");
			break;
		case 'p':
			sp.alt = true;
			format_unsigned(&sk, &sp,
			    (uintptr_t)va_arg(ap, void *), 16, false, "");
			break;
		case 'c':
			c = (char)va_arg(ap, int);
			if (!sp.left)
				sink_pad(&sk, ' ', sp.width - 1);
			sink_putc(&sk, c);
			if (sp.left)
				sink_pad(&sk, ' ', sp.width - 1);
			break;
		case 's':
			format_string(&sk, &sp, va_arg(ap, const char *));
			break;
		case '%':
			sink_putc(&sk, '%');
			break;
		case '\0':
			f--;	/* a lone % at the end */
			break;
		default:	/* unknown: print it as it stands */
			sink_putc(&sk, '%');
			sink_putc(&sk, *f);
			break;
		}
	}
	va_end(ap);
	if (size > 0)
		buf[sk.len < size ? sk.len : size - 1] = '\0';
	return sk.len > INT_MAX ? INT_MAX : (int)sk.len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Print to the console; longer output is cut and marked with "...". */
int
vprintf(const char *fmt, va_list ap)
{
	char buf[PRINTF_BUFSIZE];
	int n;
	size_t len;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if ((size_t)n >= sizeof(buf)) {
		memcpy(buf + sizeof(buf) - 5, "...\n", 4);
		len = sizeof(buf) - 1;
	}
	rumpuser_console_write(buf, len);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void
aprint_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!rump_verbose)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void
log_once(int *once, const char *fmt, ...)
{
	char buf[PRINTF_BUFSIZE];
	va_list ap;

	if (atomic_swap_uint((unsigned int *)once, 1) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("kernel: %s\n", buf);
}

void
panic(const char *fmt, ...)
{
	char buf[PRINTF_BUFSIZE];
	va_list ap;

	if (atomic_swap_uint(&panicking, 1) != 0) {
		rumpuser_console_write("panic: recursive panic\n", 23);
		rumpuser_exit(RUMPUSER_PANIC);
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("panic: %s\n", buf);
	rumpuser_exit(RUMPUSER_PANIC);
}

void
kern_assert_failed(const char *expr, const char *file, int line,
    const char *func)
{

	panic("kernel assertion \"%s\" failed: file \"%s\", line %d, "
	    "function \"%s\"", expr, file, line, func);
}
