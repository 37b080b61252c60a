/* main.c — greenlane-central [serve|admin …]. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "central.h"
#include "version.h"

static int usage_to(FILE *out)
{
	fprintf(out,
		"usage: greenlane-central serve --listen ADDR:PORT --db FILE|URI [--cert PEM --key PEM]\n"
		"                               [--db-connections N] [--offline-after S] [--log FILE]\n"
		"                               [--fault PATH:KIND[=VALUE]]\n"
		"       greenlane-central admin --db FILE|URI [--keys DIR] COMMAND …   (admin without a command lists them)\n"
		"--db: an SQLite file, or a PostgreSQL database (postgresql://… or a conninfo).\n"
		"--keys: the signing keys' secrets in DIR (yours alone, mode 700), not in the database.\n"
		"Plain HTTP is served only on loopback.  Faults (for tests): delay=MS, status=CODE, drop,\n"
		"truncate=BYTES on one endpoint, e.g. --fault /v1/changes:status=500\n");
	return 64;
}

static int usage(void)
{
	return usage_to(stderr);
}

static int parse_fault(const char *spec, struct central_faults *f)
{
	const char *colon = strchr(spec, ':'), *kind, *eq;
	char *end = NULL;
	long v = 0;

	if (colon == NULL || colon == spec || (size_t)(colon - spec) >= sizeof f->path)
		return -1;
	snprintf(f->path, sizeof f->path, "%.*s", (int)(colon - spec), spec);
	kind = colon + 1;
	eq = strchr(kind, '=');
	if (eq != NULL) {
		if (eq[1] < '0' || eq[1] > '9')
			return -1;
		v = strtol(eq + 1, &end, 10);
		if (*end != '\0' || v > 1000000000)
			return -1;
	}
	if (strncmp(kind, "delay=", 6) == 0)
		f->delay_ms = (int)v;
	else if (strncmp(kind, "status=", 7) == 0 && v >= 400 && v <= 599)
		f->status = (int)v;
	else if (strcmp(kind, "drop") == 0)
		f->drop = 1;
	else if (strncmp(kind, "truncate=", 9) == 0 && v > 0)
		f->truncate = v;
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "listen", required_argument, NULL, 'l' }, { "db", required_argument, NULL, 'd' },
		{ "cert", required_argument, NULL, 'c' }, { "key", required_argument, NULL, 'k' },
		{ "log", required_argument, NULL, 'g' }, { "fault", required_argument, NULL, 'f' },
		{ "db-connections", required_argument, NULL, 'n' }, { "keys", required_argument, NULL, 'K' },
		{ "offline-after", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct central_opts o;
	const char *log_path = NULL, *keys = NULL;
	int ch, rc, admin;

	/* Everything this program creates (the database with its keys, its
	 * WAL, the log) is its user's alone. */
	umask(077);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("greenlane-central %s\n", GL_VERSION);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)) {
		usage_to(stdout);
		return 0;
	}
	if (sodium_init() < 0 || argc < 2)
		return usage();
	admin = strcmp(argv[1], "admin") == 0;
	if (!admin && strcmp(argv[1], "serve") != 0)
		return usage();
	memset(&o, 0, sizeof o);
	optind = 2;
	/* admin: options first, then the command and its own arguments. */
	while ((ch = getopt_long(argc, argv, admin ? "+" : "", longs, NULL)) != -1) {
		switch (ch) {
		case 'l': o.listen = optarg; break;
		case 'd': o.db_path = optarg; break;
		case 'c': o.cert = optarg; break;
		case 'k': o.key = optarg; break;
		case 'g': log_path = optarg; break;
		case 'K': keys = optarg; break;
		case 'o': {
			long long s;
			if (central_whole(optarg, 1, 86400, &s) != 0) {
				fprintf(stderr, "greenlane-central: --offline-after takes whole seconds from 1 to 86400\n");
				return 64;
			}
			o.offline_s = (int)s;
			break;
		}
		case 'n': {
			char *end;
			long n = strtol(optarg, &end, 10);
			/* One per worker thread, and one more for a snapshot. */
			if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' || n < CENTRAL_THREADS + 1 || n > 1000) {
				fprintf(stderr, "greenlane-central: --db-connections takes a whole number from %d to 1000\n",
					CENTRAL_THREADS + 1);
				return 64;
			}
			o.db_connections = (int)n;
			break;
		}
		case 'f':
			if (parse_fault(optarg, &o.faults) != 0)
				return usage();
			break;
		default: return usage();
		}
	}
	if (o.db_path == NULL)
		return usage();
	if (admin)
		return central_admin(o.db_path, keys, argc - optind, argv + optind);
	/* The server signs nothing: the keys are the admin commands' alone. */
	if (keys != NULL || o.listen == NULL || optind != argc || (o.cert == NULL) != (o.key == NULL))
		return usage();
	o.log = log_path != NULL ? fopen(log_path, "a") : stderr;
	if (o.log == NULL) {
		fprintf(stderr, "greenlane-central: cannot open %s\n", log_path);
		return 73;
	}
	/* A log file made before this umask: it names terminals and clients.
	 * Only a regular file: --log /dev/null must stay everyone's. */
	if (o.log != stderr) {
		struct stat sb;
		if (fstat(fileno(o.log), &sb) == 0 && S_ISREG(sb.st_mode))
			fchmod(fileno(o.log), 0600);
	}
	rc = central_serve(&o);
	if (o.log != stderr)
		fclose(o.log);
	return rc;
}
