/* main.c — greenlane's entry point: picks the subcommand (DESIGN.md §5) and
 * turns its result into the exit code. */
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include "cli.h"
#include "version.h"

static void usage(const struct cli_env *env, FILE *out)
{
	fprintf(out, "%s", cli_tr(env,
		"用法：greenlane [tui] | <命令> [选项]\n"
		"  tui（默认）                                                         车道界面\n"
		"  verify [--json] [--at 时间] [--checkpoint 编号] [--out] 查询...   核验车辆与人员\n"
		"  log [--decision 决定] ... 查询...                                  记录一次通行\n"
		"  demo [--size N] [--no-tui]                                          生成演示数据\n"
		"  import [--replace] 文件                                             导入快照或变更\n"
		"  sync [--once [--wait]]                                              与中心同步（拉取数据、上传记录）\n"
		"  export [--csv|--jsonl] [--since 时间]                               导出通行记录\n"
		"  officer add 工号 [姓名] | remove 工号 | list                        管理可登录警员\n"
		"  check                                                               检查本地数据与记录是否完好\n"
		"退出码：0 绿色通道 1 正常通行 2 即采即走 3 人工核查 4 拦截劝返；64 用法 65 数据有误 66 无输入\n"
		"  69 中心无法连接 70 内部错误 73 无法创建 74 磁盘或记录库错误 75 稍后再试 77 中心拒绝本车道 78 配置有误\n",
		"usage: greenlane [tui] | <command> [options]\n"
		"  tui (the default)                                                 the lane interface\n"
		"  verify [--json] [--at TIME] [--checkpoint ID] [--out] QUERY...   check a vehicle and crew\n"
		"  log [--decision D] ... QUERY...                                   record a transit\n"
		"  demo [--size N] [--no-tui]                                        build the demo cache\n"
		"  import [--replace] FILE                                           load a snapshot or changes\n"
		"  sync [--once [--wait]]                                            pull the centre's data, push the journal\n"
		"  export [--csv|--jsonl] [--since TIME]                             export the journal\n"
		"  officer add ID [NAME] | remove ID | list                          who may sign in\n"
		"  check                                                             is the local data (and journal) whole?\n"
		"exit codes: 0 green 1 pass 2 sample 3 check 4 hold; 64 usage 65 bad data 66 no input\n"
		"  69 centre unreachable 70 internal 73 cannot create 74 disk or journal 75 try again 77 centre refused this lane\n"
		"  78 configuration\n"));
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct cli_env *, int, char **);
	} cmds[] = {
		{ "verify", cmd_verify }, { "log", cmd_log }, { "demo", cmd_demo },
		{ "import", cmd_import }, { "export", cmd_export }, { "officer", cmd_officer },
		{ "sync", cmd_sync }, { "check", cmd_check },
	};
	struct cli_env env;
	gl_msg err;

	setlocale(LC_ALL, "");
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("greenlane %s\n", GL_VERSION);
		return 0;
	}
	/* Every file greenlane makes is its user's alone: the cache holds
	 * personal data, the journal the lane's records, the config a token. */
	umask(077);
	if (sodium_init() < 0) {
		fputs("greenlane: libsodium failed to initialise\n", stderr);
		return EX_SOFTWARE;
	}
	if (cli_env_load(&env, &err) != 0) {
		cli_error(&env, &err);
		return EX_CONFIG;
	}
	if (argc < 2 || strcmp(argv[1], "tui") == 0)
		return cli_tui(&env);	/* it says the warning on its own screen */
	if (env.warning.en[0] != '\0')
		cli_error(&env, &env.warning);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(&env, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(&env, argc - 1, argv + 1);
	fprintf(stderr, "greenlane: %s: %s\n", cli_tr(&env, "未知命令", "unknown command"), argv[1]);
	usage(&env, stderr);
	return EX_USAGE;
}
