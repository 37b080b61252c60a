/* tui.h — the lane interface.  cli calls tui_run with the lane's settings;
 * everything curses lives behind it. */
#ifndef GL_TUI_H
#define GL_TUI_H

struct tui_config {
	const char *home;		/* data directory (for the log file) */
	const char *cache_path, *journal_path;
	const char *checkpoint_id;	/* "" for the one the data names */
	const char *region;		/* "" for the checkpoint record's */
	int outbound;
	const char *officer;
	const char *terminal;		/* "" for the journal's own */
	const char *province;		/* local province character, or "" */
	const char *tube_pattern;	/* the shape of a tube number (tube.h), or "" */
	int zh;				/* Chinese (else English) */
	int clear_after_s;		/* personal data leaves the screen after this */
	int bell;			/* sound/flash a pattern per verdict */
	int lock_after_s;		/* idle time before the screen locks (0: never) */
	int sync_interval_s;		/* run `greenlane sync --once` this often; 0: never */
	const char *warning;		/* said on the message line at the start, or "" */
};

/* Runs the interface until the officer quits.  Returns an exit code. */
int tui_run(const struct tui_config *cfg);

#endif
