/* bench_run — runs a command and reports its wall time and peak RSS, which
 * a shell cannot read for a child by itself.
 *   bench_run LABEL [<INPUT] -- COMMAND ARGS...  (prints LABEL wall_s rss_mb) */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int status, i = 2;
	const char *input = NULL;
	pid_t pid;

	if (argc > 3 && argv[2][0] == '<') {
		input = argv[2] + 1;
		i = 3;
	}
	if (argc < i + 2 || strcmp(argv[i], "--") != 0) {
		fprintf(stderr, "usage: bench_run LABEL [<INPUT] -- COMMAND ARGS...\n");
		return 64;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		if (input != NULL) {
			int fd = open(input, O_RDONLY);
			if (fd < 0 || dup2(fd, 0) < 0)
				_exit(66);
		}
		execvp(argv[i + 1], argv + i + 1);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return 71;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%s %.3f %.1f\n", argv[1],
	       (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
	       (double)ru.ru_maxrss / 1024.0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 70;
}
