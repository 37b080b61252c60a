/* verify.c — `greenlane verify` and `greenlane log`: one check at the lane
 * from the command line, shown to a person or as JSON, and (log) journaled
 * with the officer's decision before OK is printed. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include "cli.h"
#include "facts.h"
#include "gltime.h"
#include "journal.h"
#include "lane.h"
#include "sync.h"
#include "words.h"

struct check_opts {
	int json, outbound, outbound_set;
	int64_t at;
	const char *checkpoint;
	/* log only */
	const char *decision, *officer, *reason, *tube;
};

static const char *word(const struct cli_env *env, const char *v)
{
	return words_label(v, env->zh);
}

static const char *when(const cJSON *o, const char *field, char *buf, size_t n)
{
	int64_t t = facts_time(o, field);
	char full[40];

	if (t == FACTS_NO_TIME)
		return "-";
	gltime_format(t, GLTIME_CST, full, sizeof full);
	snprintf(buf, n, "%.10s %.5s", full, full + 11);
	return buf;
}

static void age(const struct cli_env *env, int64_t s, char *buf, size_t n)
{
	if (s > 100LL * 365 * 86400)
		snprintf(buf, n, "%s", cli_tr(env, "从未更新", "never updated"));
	else if (s < 120)
		snprintf(buf, n, "%s", cli_tr(env, "刚刚", "just now"));
	else if (s < 7200)
		snprintf(buf, n, cli_tr(env, "%lld 分钟前", "%lld min ago"), (long long)(s / 60));
	else if (s < 2 * 86400)
		snprintf(buf, n, cli_tr(env, "%lld 小时前", "%lld h ago"), (long long)(s / 3600));
	else
		snprintf(buf, n, cli_tr(env, "%lld 天前", "%lld days ago"), (long long)(s / 86400));
}

static void print_human(const struct cli_env *env, const struct lane_result *r, const struct policy *p)
{
	const struct query *q = &r->q[r->primary];
	const cJSON *m, *e;
	char t1[24], t2[24], masked[IDNO_MAX];

	printf("%s  %s %s [%c]\n", q->kind == QUERY_TOKEN ? facts_str(r->pass, "plate") : q->value,
	       level_zh(r->verdict.level), level_en(r->verdict.level), level_letter(r->verdict.level));
	for (size_t i = 0; i < r->verdict.n; i++) {
		const struct reason *re = &r->verdict.reasons[i];
		printf("  [%c] %-22s %s", level_letter(re->level), re->code, cli_tr(env, re->zh, re->en));
		if (re->subject[0] != '\0') {
			idno_mask(re->subject, masked);
			printf(" (%s)", masked);
		}
		putchar('\n');
	}
	if (r->vehicle != NULL) {
		printf("%s %s %s (%s)", cli_tr(env, "车辆", "Vehicle"), facts_str(r->vehicle, "plate"),
		       facts_str(r->vehicle, "type") ? facts_str(r->vehicle, "type") : "",
		       word(env, facts_str(r->vehicle, "relation")));
		if (facts_str(r->vehicle, "trailer_plate") != NULL)
			printf(" %s %s", cli_tr(env, "挂车", "trailer"), facts_str(r->vehicle, "trailer_plate"));
		putchar('\n');
	}
	if (r->enterprise != NULL)
		printf("%s %s · %s · %s · %s\n", cli_tr(env, "企业", "Enterprise"),
		       facts_str(r->enterprise, "name"), word(env, facts_str(r->enterprise, "sector")),
		       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->enterprise, "whitelisted"))
			       ? cli_tr(env, "白名单", "whitelisted") : cli_tr(env, "非白名单", "not whitelisted"),
		       word(env, facts_str(r->enterprise, "status")));
	if (r->pass != NULL)
		printf("%s %s %s %s %s %s\n", cli_tr(env, "通行证", "Pass"), facts_str(r->pass, "pass_no"),
		       when(r->pass, "valid_from", t1, sizeof t1), cli_tr(env, "至", "to"),
		       when(r->pass, "valid_to", t2, sizeof t2),
		       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->pass, "revoked")) ? cli_tr(env, "已撤销", "revoked") : "");
	if (r->trip != NULL) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->trip, "origin");
		const cJSON *d = cJSON_GetObjectItemCaseSensitive(r->trip, "destination");
		printf("%s %s %s(%s)", cli_tr(env, "行程", "Trip"), facts_str(r->trip, "id"),
		       facts_str(o, "place") ? facts_str(o, "place") : "", facts_str(o, "region") ? facts_str(o, "region") : "?");
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r->trip, "route"))
			if (cJSON_IsString(e))
				printf(" → %s", e->valuestring);
		printf(" → %s %s · %s · %s %s · %s\n", facts_str(d, "region") ? facts_str(d, "region") : "?",
		       facts_str(d, "reception_point") ? facts_str(d, "reception_point") : "",
		       word(env, facts_str(r->trip, "status")), cli_tr(env, "出发", "departed"),
		       when(r->trip, "depart_at", t1, sizeof t1),
		       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->trip, "registered"))
			       ? cli_tr(env, "已报备", "registered") : cli_tr(env, "未报备", "not registered"));
	}
	cJSON_ArrayForEach(m, r->crew) {
		printf("%s %s %s", cli_tr(env, "人员", "Person"), facts_str(m, "id_masked"),
		       facts_str(m, "name") ? facts_str(m, "name") : cli_tr(env, "（无记录）", "(no record)"));
		if (facts_str(m, "health_code") != NULL)
			printf(" · %s · %s %s %s", word(env, facts_str(m, "health_code")),
			       cli_tr(env, "核酸", "test"), word(env, facts_str(m, "nat_result")),
			       when(m, "nat_at", t1, sizeof t1));
		putchar('\n');
	}
	age(env, r->cache_age_s, t1, sizeof t1);
	printf("%s %s %s · %s %s\n", cli_tr(env, "策略", "Policy"), policy_id(p), policy_version(p),
	       cli_tr(env, "数据", "data"), t1);
}

/* Parses the options verify and log share; log adds its own. */
static int parse(struct cli_env *env, int argc, char **argv, int is_log, struct check_opts *o)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, 'j' }, { "at", required_argument, NULL, 'a' },
		{ "checkpoint", required_argument, NULL, 'c' }, { "out", no_argument, NULL, 'o' },
		{ "in", no_argument, NULL, 'i' }, { "decision", required_argument, NULL, 'd' },
		{ "officer", required_argument, NULL, 'f' }, { "reason", required_argument, NULL, 'r' },
		{ "tube", required_argument, NULL, 't' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->at = cli_now();
	optind = 1;
	while ((c = getopt_long(argc, argv, "ja:c:oid:f:r:t:h", longs, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = 1; break;
		case 'a':
			if (cli_time(optarg, &o->at) != 0) {
				fprintf(stderr, "greenlane: %s: %s\n", cli_tr(env, "--at 需要 RFC 3339 时间，如 2022-05-10T08:00:00+08:00",
									      "--at needs an RFC 3339 time such as 2022-05-10T08:00:00+08:00"), optarg);
				return EX_USAGE;
			}
			break;
		case 'c': o->checkpoint = optarg; break;
		case 'o': o->outbound = 1; o->outbound_set = 1; break;
		case 'i': o->outbound = 0; o->outbound_set = 1; break;
		case 'd': case 'f': case 'r': case 't':
			if (!is_log)
				goto usage;
			if (c == 'd') o->decision = optarg;
			else if (c == 'f') o->officer = optarg;
			else if (c == 'r') o->reason = optarg;
			else o->tube = optarg;
			break;
		case 'h':
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	return 0;
usage:
	if (is_log)
		fprintf(stderr, "%s", cli_tr(env,
			"用法：greenlane log [--decision 决定] [--officer 工号] [--reason 理由] [--tube 管号]\n"
			"                    [--at 时间] [--checkpoint 编号] [--out] 查询...\n"
			"决定：release 放行 · sample 采样放行（需 --tube）· hold 拦截劝返 · divert 转运\n",
			"usage: greenlane log [--decision D] [--officer ID] [--reason TEXT] [--tube N]\n"
			"                     [--at TIME] [--checkpoint ID] [--out] QUERY...\n"
			"decisions: release · sample (needs --tube) · hold (turn back) · divert (to a transfer station)\n"));
	else
		fprintf(stderr, "%s", cli_tr(env,
			"用法：greenlane verify [--json] [--at 时间] [--checkpoint 编号] [--out] 查询...\n"
			"查询为车牌、身份证号、通行证编号或通行证二维码内容\n",
			"usage: greenlane verify [--json] [--at TIME] [--checkpoint ID] [--out] QUERY...\n"
			"QUERY is a plate, an ID number, a pass number or a pass token\n"));
	return EX_USAGE;
}

/* This lane's journal, whose registrations and landing tests count in a
 * check: for log, opened or created; for verify, opened if there is one (a
 * journal that cannot be read is said, and the check made without it: it
 * can then only be stricter).  0, or an exit code. */
static int open_journal(struct cli_env *env, int create, struct journal **j)
{
	gl_msg err;

	*j = NULL;
	if (!create && access(env->journal_path, F_OK) != 0)
		return 0;
	*j = create ? cli_journal(env, &err) : journal_open(env->journal_path, env->terminal[0] ? env->terminal : NULL, &err);
	if (*j == NULL) {
		cli_error(env, &err);
		if (create)
			return EX_CANTCREAT;
		fprintf(stderr, "greenlane: %s\n", cli_tr(env,
			"注意：未能读取本车道的记录，本车道的补录与落地检未计入",
			"note: this lane's journal could not be read: its registrations and landing tests are not counted"));
	}
	return 0;
}

/* Runs the check (with the lane's journal for log, and for verify if there
 * is one); on success *policy, *j and r are filled and the caller frees
 * them.  Returns 0 or an exit code. */
static int run_check(struct cli_env *env, const struct check_opts *o, int is_log, int nq, char **qv,
		     struct cache **cache, struct policy **policy, struct journal **j, struct lane_result *r)
{
	struct lane_ctx ctx;
	const char *src;
	char cp[64] = "";
	gl_msg err;
	enum lane_status st;
	int rc;

	*cache = cache_open(env->cache_path, 0, &err);
	if (*cache == NULL) {
		cli_error(env, &err);
		return EX_NOINPUT;
	}
	*policy = lane_policy(*cache, &src, &err);
	if (*policy == NULL) {
		cli_error(env, &err);
		return EX_SOFTWARE;
	}
	rc = open_journal(env, is_log, j);
	if (rc != 0)
		return rc;
	memset(&ctx, 0, sizeof ctx);
	ctx.journal = *j;
	ctx.now = o->at;
	if (o->checkpoint != NULL)
		snprintf(cp, sizeof cp, "%s", o->checkpoint);
	else if (env->checkpoint[0] != '\0')
		snprintf(cp, sizeof cp, "%s", env->checkpoint);
	else
		cache_meta(*cache, "checkpoint", cp, sizeof cp);
	ctx.checkpoint_id = cp[0] != '\0' ? cp : NULL;
	ctx.checkpoint_region = env->region[0] != '\0' ? env->region : NULL;
	ctx.outbound = o->outbound_set ? o->outbound : env->outbound;
	ctx.local_province = env->province[0] != '\0' ? env->province : NULL;
	st = lane_check(*cache, *policy, &ctx, (const char *const *)qv, (size_t)nq, r, &err);
	if (st == LANE_OK && cache_damaged(env->cache_path))
		fprintf(stderr, "greenlane: %s\n", cli_tr(env,
			"注意：本地数据已损坏，损坏部分的记录无法读取；下次同步将从快照重建（greenlane sync）",
			"note: the local data is damaged and what is damaged cannot be read; the next sync rebuilds it "
			"from a snapshot (greenlane sync)"));
	if (st != LANE_OK) {
		cli_error(env, &err);
		return st == LANE_BAD_QUERY ? EX_DATAERR : EX_SOFTWARE;
	}
	return 0;
}

int cmd_verify(struct cli_env *env, int argc, char **argv)
{
	struct check_opts o;
	struct cache *cache = NULL;
	struct policy *policy = NULL;
	struct journal *j = NULL;
	struct lane_result r;
	int rc = parse(env, argc, argv, 0, &o);

	memset(&r, 0, sizeof r);
	if (rc != 0)
		return rc;
	rc = run_check(env, &o, 0, argc - optind, argv + optind, &cache, &policy, &j, &r);
	if (rc == 0) {
		if (o.json) {
			cJSON *js = lane_result_json(&r);
			char *s = cJSON_Print(js);
			if (s == NULL) {
				rc = EX_SOFTWARE;
			} else {
				puts(s);
				rc = r.verdict.level;
			}
			cJSON_free(s);
			cJSON_Delete(js);
		} else {
			print_human(env, &r, policy);
			rc = r.verdict.level;
		}
		if (fflush(stdout) != 0)
			rc = EX_IOERR;
	}
	lane_result_free(&r);
	journal_close(j);
	policy_free(policy);
	cache_close(cache);
	return rc;
}

int cmd_log(struct cli_env *env, int argc, char **argv)
{
	struct check_opts o;
	struct cache *cache = NULL;
	struct policy *policy = NULL;
	struct journal *j = NULL;
	struct journal_entry entry;
	struct lane_result r;
	struct lane_decision d;
	gl_msg err;
	int rc = parse(env, argc, argv, 1, &o);

	memset(&r, 0, sizeof r);
	if (rc != 0)
		return rc;
	rc = run_check(env, &o, 1, argc - optind, argv + optind, &cache, &policy, &j, &r);
	if (rc != 0)
		goto out;
	memset(&d, 0, sizeof d);
	if (o.decision == NULL && decision_default(r.verdict.level, &d.decision) != 0) {
		fprintf(stderr, "greenlane: %s\n", cli_tr(env,
			"结论为人工核查：请用 --decision 给出核查后的决定（release/sample/hold/divert）",
			"the verdict is check: give the decision after checking with --decision (release/sample/hold/divert)"));
		rc = EX_USAGE;
		goto out;
	}
	if (o.decision != NULL && decision_parse(o.decision, &d.decision) != 0) {
		fprintf(stderr, "greenlane: %s: %s\n", cli_tr(env, "未知的决定", "unknown decision"), o.decision);
		rc = EX_USAGE;
		goto out;
	}
	d.at = o.at;
	d.officer = o.officer != NULL ? o.officer : env->officer;
	d.reason = o.reason;
	d.tube = o.tube;
	d.tube_pattern = env->tube_pattern;
	d.checkpoint_id = facts_str(cJSON_GetObjectItemCaseSensitive(r.facts, "checkpoint"), "id");
	d.outbound = o.outbound_set ? o.outbound : env->outbound;
	rc = lane_log(j, &r, &d, &entry, &err);
	if (rc != 0) {
		cli_error(env, &err);
		if (rc == -2)
			fprintf(stderr, "greenlane: %s\n", cli_tr(env, "未记录，请重试", "nothing was recorded: try again"));
		rc = rc == -1 ? EX_USAGE : rc == -3 ? EX_DATAERR : EX_IOERR;
		goto out;
	}
	printf("OK %s #%lld %s %s %s\n", cli_tr(env, "已记录", "logged"), (long long)entry.seq, entry.uuid,
	       level_name(r.verdict.level), decision_name(d.decision));
	rc = fflush(stdout) != 0 ? EX_IOERR : 0;
	/* The record goes to the centre now, not when a waiting sync's wait ends. */
	if (env->server_url[0] != '\0')
		sync_wake(env->home);
out:
	journal_close(j);
	lane_result_free(&r);
	policy_free(policy);
	cache_close(cache);
	return rc;
}
