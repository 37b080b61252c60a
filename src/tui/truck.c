/* truck.c — one truck at the lane: its scans, checked together by
 * lane_check (the path `greenlane verify` takes), and checked again when the
 * data or the time may have changed its verdict. */
#include <stdlib.h>
#include <string.h>
#include "facts.h"
#include "tui_truck.h"

static void context(struct tui *t, struct lane_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->now = tui_now();
	ctx->checkpoint_id = t->checkpoint[0] ? t->checkpoint : NULL;
	ctx->checkpoint_region = t->cfg->region[0] ? t->cfg->region : NULL;
	ctx->outbound = t->cfg->outbound;
	ctx->local_province = t->cfg->province[0] ? t->cfg->province : NULL;
	ctx->online = tui_link(t) == TUI_ONLINE;
	ctx->journal = t->journal;
}

/* Checks n inputs into r.  0, or -1 with err (r freed). */
static int check(struct tui *t, char *const *inputs, int n, struct lane_result *r, gl_msg *err)
{
	struct lane_ctx ctx;

	context(t, &ctx);
	if (lane_check(t->cache, t->policy, &ctx, (const char *const *)inputs, (size_t)n, r, err) == LANE_OK)
		return 0;
	lane_result_free(r);
	return -1;
}

int truck_parse(struct tui *t, const char *text, struct query *q, gl_msg *err)
{
	return query_parse(text, t->cfg->province[0] ? t->cfg->province : NULL, tui_now(), q, err);
}

static int is_pass(enum query_kind k)
{
	return k == QUERY_TOKEN || k == QUERY_PASSNO;
}

enum truck_join truck_join(const struct truck *tr, const struct query *q)
{
	const char *shown_pass = facts_str(tr->res.pass, "pass_no");

	if (tr->logged)
		return TRUCK_OTHER;
	for (int i = 0; i < tr->n; i++) {
		const struct query *k = &tr->kinds[i];
		if (q->kind == QUERY_IDNO && k->kind == QUERY_IDNO && strcmp(q->value, k->value) == 0)
			return TRUCK_HAS_IT;
		if (q->kind == QUERY_PLATE && k->kind == QUERY_PLATE)
			return strcmp(q->value, k->value) == 0 ? TRUCK_HAS_IT : TRUCK_OTHER;
		if (is_pass(q->kind) && is_pass(k->kind)) {
			/* The same pass as a code and as its number is one pass. */
			if ((q->kind == QUERY_TOKEN && k->kind == QUERY_TOKEN && strcmp(q->token, k->token) == 0) ||
			    (q->kind == QUERY_PASSNO && shown_pass != NULL && strcmp(q->value, shown_pass) == 0))
				return TRUCK_HAS_IT;
			return TRUCK_OTHER;
		}
	}
	return tr->n < LANE_MAX_QUERIES ? TRUCK_JOINS : TRUCK_OTHER;
}

/* Takes text as the truck's next input (parsed again: its token borrows
 * the copy). */
static int push_input(struct tui *t, struct truck *tr, const char *text)
{
	char *copy = strdup(text);

	if (copy == NULL || truck_parse(t, copy, &tr->kinds[tr->n], NULL) != 0) {
		free(copy);
		return -1;
	}
	tr->inputs[tr->n++] = copy;
	return 0;
}

struct truck *truck_new(struct tui *t, const char *text, gl_msg *err)
{
	struct truck *tr = calloc(1, sizeof *tr);

	if (tr == NULL || push_input(t, tr, text) != 0) {
		glmsg_set(err, "内存不足", "out of memory");
		free(tr);
		return NULL;
	}
	if (check(t, tr->inputs, tr->n, &tr->res, err) != 0) {
		free(tr->inputs[0]);
		free(tr);
		return NULL;
	}
	tr->first_scan = tui_now();
	return tr;
}

int truck_add(struct tui *t, struct truck *tr, const char *text, gl_msg *err)
{
	struct lane_result r;

	if (tr->n == LANE_MAX_QUERIES || push_input(t, tr, text) != 0) {
		glmsg_set(err, "内存不足", "out of memory");
		return -1;
	}
	if (check(t, tr->inputs, tr->n, &r, err) != 0) {
		free(tr->inputs[--tr->n]);
		return -1;
	}
	lane_result_free(&tr->res);
	tr->res = r;
	/* What the officer sees now is the check of everything scanned. */
	tr->changed = tr->was_changed = 0;
	return 0;
}

static int same_verdict(const struct verdict *a, const struct verdict *b)
{
	if (a->level != b->level || a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->reasons[i].level != b->reasons[i].level || strcmp(a->reasons[i].code, b->reasons[i].code) != 0 ||
		    strcmp(a->reasons[i].subject, b->reasons[i].subject) != 0)
			return 0;
	return 1;
}

int truck_recheck(struct tui *t, struct truck *tr, gl_msg *err)
{
	struct lane_result r;
	int changed;

	if (check(t, tr->inputs, tr->n, &r, err) != 0)
		return -1;
	changed = !same_verdict(&r.verdict, &tr->res.verdict);
	/* The new check is shown even when the verdict is the same: the data
	 * beside it (a test time, the cache's age) may have moved. */
	lane_result_free(&tr->res);
	tr->res = r;
	if (changed)
		tr->changed = tr->was_changed = 1;
	return changed;
}

void truck_free(struct truck *tr)
{
	if (tr == NULL)
		return;
	for (int i = 0; i < tr->n; i++)
		free(tr->inputs[i]);
	lane_result_free(&tr->res);
	free(tr);
}

const char *truck_name(const struct truck *tr, char out[IDNO_MAX])
{
	const struct query *q = &tr->res.q[tr->res.primary];

	if (tr->res.plate[0] != '\0')
		return tr->res.plate;
	if (q->kind == QUERY_IDNO) {
		idno_mask(q->value, out);
		return out;
	}
	return q->kind == QUERY_TOKEN ? "(pass code)" : q->value;
}
